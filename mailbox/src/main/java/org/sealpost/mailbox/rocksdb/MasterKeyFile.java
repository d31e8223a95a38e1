package org.sealpost.mailbox.rocksdb;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.sealpost.mailbox.MailboxException;

/** The 32-byte master key, in a file of its own outside the RocksDB directory (mode 0600). */
final class MasterKeyFile {
  static final int LENGTH = 32;

  private MasterKeyFile() {}

  static boolean exists(Path file) {
    return Files.exists(file);
  }

  static byte[] read(Path file) {
    try {
      byte[] key = Files.readAllBytes(file);
      if (key.length != LENGTH) {
        java.util.Arrays.fill(key, (byte) 0);
        throw new MailboxException(MailboxException.OpenFailure.KEY_TRUNCATED);
      }
      return key;
    } catch (IOException e) {
      throw new MailboxException(MailboxException.OpenFailure.KEY_UNREADABLE);
    }
  }

  /** Writes a new random key atomically: temp file created 0600, fsync, rename, fsync directory. */
  static byte[] create(Path file, SecureRandom random) {
    byte[] key = new byte[LENGTH];
    random.nextBytes(key);
    Path dir = file.getParent();
    Path tmp = dir.resolve(file.getFileName() + ".tmp");
    try {
      Files.createDirectories(dir);
      Files.deleteIfExists(tmp);
      Files.createFile(
          tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(key);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
        d.force(true);
      }
      return key;
    } catch (FileAlreadyExistsException e) {
      throw new MailboxException(MailboxException.Code.STORAGE, "create master key: file exists");
    } catch (AccessDeniedException e) {
      throw new MailboxException(MailboxException.OpenFailure.NOT_WRITABLE);
    } catch (IOException | UnsupportedOperationException e) {
      throw new MailboxException(MailboxException.OpenFailure.IO_ERROR);
    }
  }
}
