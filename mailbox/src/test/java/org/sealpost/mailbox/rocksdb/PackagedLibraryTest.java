package org.sealpost.mailbox.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The library's identity as a jar holds it, read from the jar's directory, and its copies. */
class PackagedLibraryTest {
  @TempDir Path tmp;

  @Test
  void aJarEntryIsKnownByItsDirectoryRecordAndCopiedExactly() throws Exception {
    byte[] library = new byte[3 * 1024 * 1024 + 17]; // more than one of matches()'s chunks
    new Random(5).nextBytes(library);
    Path jar = tmp.resolve("rocks.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new ZipEntry("librocksdbjni-linux64.so")); // deflated, as rocksdbjni's is
      out.write(library);
      out.closeEntry();
    }
    URL url = new URL("jar:" + jar.toUri() + "!/librocksdbjni-linux64.so");

    PackagedLibrary packaged = PackagedLibrary.at(url);
    PackagedLibrary expected = PackagedLibrary.of(library);
    assertThat(packaged.size()).isEqualTo(library.length);
    assertThat(packaged.crc()).isEqualTo(expected.crc());
    assertThat(packaged.key()).isEqualTo(expected.key()).matches("[0-9a-f]{16}");

    Path copy = Files.createFile(tmp.resolve("copy.so"));
    packaged.writeTo(copy);
    assertThat(copy).hasBinaryContent(library);
    assertThat(packaged.matches(copy)).isTrue();

    library[library.length - 1] ^= 1; // same size, last byte of the last chunk differs
    Files.write(copy, library);
    assertThat(packaged.matches(copy)).isFalse();
    Files.write(copy, new byte[library.length - 1]);
    assertThat(packaged.matches(copy)).isFalse();
  }

  @Test
  void aLibraryOutsideAJarIsReadOnceForItsChecksum() throws Exception {
    byte[] library = "a library in a plain directory".getBytes();
    Path file = Files.write(tmp.resolve("librocksdbjni-linux64.so"), library);

    PackagedLibrary packaged = PackagedLibrary.at(file.toUri().toURL());

    assertThat(packaged.key()).isEqualTo(PackagedLibrary.of(library).key());
    Path copy = Files.createFile(tmp.resolve("copy.so"));
    packaged.writeTo(copy);
    assertThat(copy).hasBinaryContent(library);
  }

  @Test
  void theKeyIsTheChecksumThenTheSize() {
    PackagedLibrary lib =
        new PackagedLibrary(
            16_239_776,
            0x0badcafeL,
            () -> {
              throw new IOException("not opened for a key");
            });
    assertThat(lib.key()).isEqualTo("0badcafe00f7cca0");
  }
}
