package org.sealpost.mailbox.rocksdb;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;

/**
 * RocksDB's native library as the jar holds it, known by its size and CRC-32. In a jar both come
 * from the jar's directory, so a start whose cached copy is already right never inflates the 16 MB
 * entry: it reads the copy once through CRC-32 (a few milliseconds) instead of inflating and
 * hashing both (about half a second of a cold JVM's start and 32 MB of heap, measured in
 * benchmarks.md). CRC-32 is there to catch a torn or damaged copy; what keeps someone else's
 * library out is the private directory it lives in ({@link NativeLibrary}).
 */
record PackagedLibrary(long size, long crc, Opener opener) {
  private static final int CHUNK = 1 << 20;

  /** Opens the library's bytes; each call a new stream. */
  interface Opener {
    InputStream open() throws IOException;
  }

  /** The library at {@code url}: a jar entry's directory record, or else its content read once. */
  static PackagedLibrary at(URL url) throws IOException {
    if ("jar".equals(url.getProtocol())) {
      JarURLConnection c = (JarURLConnection) url.openConnection();
      c.setUseCaches(false); // the JarFile is ours to close, not the JDK's cache's to keep open
      try (JarFile jar = c.getJarFile()) {
        JarEntry entry = jar.getJarEntry(c.getEntryName());
        if (entry != null && entry.getSize() >= 0 && entry.getCrc() >= 0) {
          return new PackagedLibrary(entry.getSize(), entry.getCrc(), () -> uncached(url));
        }
      }
    }
    CRC32 crc = new CRC32();
    long size;
    try (InputStream in = new CheckedInputStream(uncached(url), crc)) {
      size = in.transferTo(OutputStream.nullOutputStream());
    }
    return new PackagedLibrary(size, crc.getValue(), () -> uncached(url));
  }

  /** A library given as bytes (the tests' stand-in for the jar). */
  static PackagedLibrary of(byte[] bytes) {
    CRC32 crc = new CRC32();
    crc.update(bytes);
    return new PackagedLibrary(bytes.length, crc.getValue(), () -> new ByteArrayInputStream(bytes));
  }

  /** The cache's directory key: 16 hex digits, CRC-32 then size. */
  String key() {
    return String.format("%08x%08x", crc, size & 0xffffffffL);
  }

  /** Whether {@code file} holds exactly this library (size, then CRC-32 of its content). */
  boolean matches(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      if (ch.size() != size) {
        return false;
      }
      CRC32 sum = new CRC32();
      ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK);
      while (ch.read(buf) >= 0) {
        buf.flip();
        sum.update(buf);
        buf.clear();
      }
      return sum.getValue() == crc;
    }
  }

  /**
   * Writes the library to {@code file} (which exists, empty) and forces it to disk, so the rename
   * that follows can never expose a copy a power loss truncated. A jar whose entry does not match
   * its own directory record is refused.
   */
  void writeTo(Path file) throws IOException {
    CRC32 sum = new CRC32();
    long written;
    try (InputStream in = new CheckedInputStream(opener.open(), sum);
        FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE)) {
      written = in.transferTo(Channels.newOutputStream(out));
      out.force(true);
    }
    if (written != size || sum.getValue() != crc) {
      throw new IOException("the jar's RocksDB library does not match its own checksum");
    }
  }

  private static InputStream uncached(URL url) throws IOException {
    URLConnection c = url.openConnection();
    c.setUseCaches(false); // closing the stream then closes the jar file it opened
    return c.getInputStream();
  }
}
