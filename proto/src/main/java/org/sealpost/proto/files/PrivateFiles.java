package org.sealpost.proto.files;

import java.io.IOException;
import java.nio.ByteBuffer;
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
 * Owner-only files holding secrets (the relay key, the TLS key, the client keystore): directories
 * 0700, files 0600, written atomically. The one implementation the relay and the client share.
 *
 * <p>A write goes to a temporary file in the same directory, created 0600 (so the content is never
 * readable by others, whatever the umask), synced, renamed over the target with {@code
 * ATOMIC_MOVE}, and the directory is synced: a crash leaves either the old file or the new one,
 * never a mix. A crash between creating and renaming the temporary file (kill -9, power loss) can
 * leave it behind, still 0600, named {@code .<name>.<random>.tmp}. Files are refused, when read, if
 * group or others have any permission on them. On file systems without POSIX permissions (Windows)
 * the modes are skipped.
 *
 * <p>Exception messages name the path and the problem, never the content.
 */
public final class PrivateFiles {
  private static final Set<PosixFilePermission> OPEN_TO_OTHERS =
      EnumSet.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_EXECUTE);
  private static final Set<PosixFilePermission> DIR_MODE =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> FILE_MODE =
      PosixFilePermissions.fromString("rw-------");

  private PrivateFiles() {}

  /** Whether the file system of {@code path} has POSIX permissions at all (not on Windows). */
  public static boolean posix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  /**
   * Creates {@code dir} and any missing parents, each with mode 0700 whatever the umask. Existing
   * directories are left as they are (a keystore may live in a shared working directory).
   */
  public static void createDirectories(Path dir) throws IOException {
    Path absolute = dir.toAbsolutePath();
    if (Files.isDirectory(absolute)) {
      return;
    }
    Path parent = absolute.getParent();
    if (parent != null) {
      createDirectories(parent);
    }
    try {
      if (posix(absolute)) {
        Files.createDirectory(absolute, attribute(DIR_MODE));
        // the umask may have removed bits, never added them; set exactly 0700
        Files.setPosixFilePermissions(absolute, DIR_MODE);
      } else {
        Files.createDirectory(absolute);
      }
    } catch (FileAlreadyExistsException raced) {
      // created concurrently, or a file of that name: the caller's checks say which
    }
  }

  /**
   * Creates {@code dir} (0700) if it does not exist and checks that it is an owner-only directory.
   *
   * @throws IOException if it cannot be created, is not a directory, or is open to group/others
   */
  public static void ensurePrivateDirectory(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      createDirectories(dir);
    }
    if (!Files.isDirectory(dir)) {
      throw new IOException(dir + " is not a directory");
    }
    requireOwnerOnly(dir);
  }

  /** Whether group and others have no permission at all on {@code path} (true without POSIX). */
  public static boolean isOwnerOnly(Path path) throws IOException {
    if (!posix(path)) {
      return true;
    }
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path);
    return perms.stream().noneMatch(OPEN_TO_OTHERS::contains);
  }

  /** Throws if {@code path} can be read, written or entered by group or others. */
  public static void requireOwnerOnly(Path path) throws IOException {
    if (!isOwnerOnly(path)) {
      throw new IOException(
          path
              + " is accessible by group or others ("
              + PosixFilePermissions.toString(Files.getPosixFilePermissions(path))
              + "); restrict it to its owner (chmod "
              + (Files.isDirectory(path) ? "700" : "600")
              + ")");
    }
  }

  /**
   * Reads a private file after checking its permissions.
   *
   * @throws IOException if it cannot be read or is accessible by group or others
   */
  public static byte[] read(Path file) throws IOException {
    requireOwnerOnly(file);
    return Files.readAllBytes(file);
  }

  /**
   * Atomically replaces (or creates) {@code file} with {@code content}, mode 0600, durably: temp
   * file in the same directory, fsync, atomic rename, fsync of the directory. The directory must
   * exist ({@link #createDirectories}).
   */
  public static void write(Path file, byte[] content) throws IOException {
    write(file, content, () -> {});
  }

  /** {@link #write(Path, byte[])} with a step between the synced temp file and the rename. */
  static void write(Path file, byte[] content, IoStep beforeRename) throws IOException {
    Path target = file.toAbsolutePath();
    Path dir = target.getParent();
    String prefix = "." + target.getFileName() + ".";
    Path temp =
        posix(target)
            ? Files.createTempFile(dir, prefix, ".tmp", attribute(FILE_MODE))
            : Files.createTempFile(dir, prefix, ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(content);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      beforeRename.run();
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException | RuntimeException e) {
      try {
        Files.deleteIfExists(temp); // a failed write leaves the old file and nothing else
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
    syncDirectory(dir);
  }

  /** Makes the rename durable: on Linux a rename is only on disk once its directory is synced. */
  private static void syncDirectory(Path dir) throws IOException {
    if (!posix(dir)) {
      return; // Windows cannot open a directory as a channel; NTFS journals renames
    }
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  private static FileAttribute<Set<PosixFilePermission>> attribute(Set<PosixFilePermission> mode) {
    return PosixFilePermissions.asFileAttribute(mode);
  }

  /** A step that may fail with an I/O error (tests simulate a crash with it). */
  @FunctionalInterface
  interface IoStep {
    void run() throws IOException;
  }
}
