package org.sealpost.relay.process;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Owner-only files and directories: directories 0700, files 0600. Files are written to a temporary
 * file created with 0600 and moved into place, so a crash never leaves a half-written key and the
 * content is never readable by others, whatever the umask.
 */
public final class SecureFiles {
  private static final Set<PosixFilePermission> OPEN_TO_OTHERS =
      EnumSet.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_EXECUTE);

  private SecureFiles() {}

  /** Whether this file system has POSIX permissions at all (not on Windows). */
  public static boolean posix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  /**
   * Creates {@code dir} with mode 0700 if it does not exist (its parents with default modes).
   *
   * @throws IOException if it cannot be created, is not a directory, or is open to group/others
   */
  public static void ensurePrivateDirectory(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      Path parent = dir.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      try {
        if (posix(dir)) {
          Files.createDirectory(dir, attribute("rwx------"));
          // the umask may have removed bits, never added them; set exactly 0700
          Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } else {
          Files.createDirectory(dir);
        }
      } catch (FileAlreadyExistsException raced) {
        // created concurrently: checked below like any existing directory
      }
    }
    if (!Files.isDirectory(dir)) {
      throw new IOException(dir + " is not a directory");
    }
    requireOwnerOnly(dir);
  }

  /** Throws if {@code path} can be read, written or entered by group or others. */
  public static void requireOwnerOnly(Path path) throws IOException {
    if (!posix(path)) {
      return;
    }
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path);
    if (perms.stream().anyMatch(OPEN_TO_OTHERS::contains)) {
      throw new IOException(
          path
              + " is accessible by group or others ("
              + PosixFilePermissions.toString(perms)
              + "); restrict it to its owner (chmod "
              + (Files.isDirectory(path) ? "700" : "600")
              + ")");
    }
  }

  /** Atomically writes {@code content} to {@code file} with mode 0600, synced to disk. */
  public static void writePrivateFile(Path file, byte[] content) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    if (posix(file)) {
      Files.createFile(tmp, attribute("rw-------"));
    } else {
      Files.createFile(tmp);
    }
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(content));
      ch.force(true);
    }
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static FileAttribute<Set<PosixFilePermission>> attribute(String mode) {
    return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode));
  }
}
