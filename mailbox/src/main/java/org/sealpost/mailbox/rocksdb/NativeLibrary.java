package org.sealpost.mailbox.rocksdb;

import java.io.IOException;
import java.net.URL;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.rocksdb.RocksDB;
import org.rocksdb.util.Environment;
import org.sealpost.mailbox.MailboxException;
import org.sealpost.mailbox.MailboxException.OpenFailure;

/**
 * Loads RocksDB's native library from a stable place (issue 12). RocksDB's own loader copies the 15
 * MB library out of the jar into a new temporary file at every start and deletes it only at a clean
 * exit, so each {@code kill -9} left one behind. Here it is extracted once into a cache directory
 * under a name keyed by its size and CRC-32, checked against the jar's record of both at every
 * start (without inflating the jar's copy: {@link PackagedLibrary}), and loaded from there.
 *
 * <p>The cache directory is the first of: {@code ROCKSDB_SHAREDLIB_DIR}, systemd's {@code
 * CACHE_DIRECTORY} (the unit's {@code CacheDirectory=}), {@code $XDG_CACHE_HOME/sealpost}, {@code
 * ~/.cache/sealpost}, that can be used: owned by this user (or root) and writable by nobody else. A
 * directory that already holds the right library is only read, apart from the library's
 * modification time, which each load sets to mark it in use; the libraries of other builds that no
 * process has loaded for {@link #UNUSED_FOR} are then removed, so an upgrade does not leave one
 * behind for good. When no directory can be used, a warning says why, and the library is loaded
 * from a temporary copy that is removed as soon as it is loaded ({@link #loadTemporaryCopy}).
 */
public final class NativeLibrary {
  private static final System.Logger LOG = System.getLogger(NativeLibrary.class.getName());
  private static final Set<PosixFilePermission> PRIVATE_DIR =
      PosixFilePermissions.fromString("rwx------");
  private static final Duration STALE_PARTIAL = Duration.ofMinutes(10);
  private static final String PARTIAL = ".partial-";

  /** How long another build's library may go unloaded before a load of this one removes it. */
  static final Duration UNUSED_FOR = Duration.ofDays(7);

  private static final String BUILD_DIR = "rocksdbjni-";

  /** The library's file name in a directory given to RocksDB's list loader, which looks for it. */
  private static final String LIBRARY_FILE = Environment.getJniLibraryFileName("rocksdbjni");

  private static final Pattern BUILD_DIR_NAME = Pattern.compile(BUILD_DIR + "[0-9a-f]{16}");

  private static Path loaded;
  private static boolean attempted;
  private static boolean failed;

  private NativeLibrary() {}

  /**
   * Loads the library once per process; returns the cache file it came from, or empty when it came
   * from a temporary copy, the system (a library not in the jar), or someone else loaded it first.
   *
   * @throws MailboxException ({@link OpenFailure#NATIVE_LIBRARY}) when it cannot be loaded; the
   *     reason is logged once, and every later call fails the same way
   */
  public static synchronized Optional<Path> load() {
    if (!attempted) {
      attempted = true;
      failed = !loadOnce(System.getenv(), System.getProperty("user.home"));
    }
    if (failed) {
      throw new MailboxException(OpenFailure.NATIVE_LIBRARY);
    }
    return Optional.ofNullable(loaded);
  }

  private static boolean loadOnce(Map<String, String> env, String userHome) {
    String resource = Environment.getJniLibraryFileName("rocksdb");
    URL url = NativeLibrary.class.getClassLoader().getResource(resource);
    try {
      if (url == null) {
        RocksDB.loadLibrary(); // a system-installed library (java.library.path)
        return true;
      }
      PackagedLibrary library = PackagedLibrary.at(url);
      loaded = loadFromCache(library, env, userHome);
      if (loaded == null) {
        // never RocksDB's own loader here: it would extract into ROCKSDB_SHAREDLIB_DIR, which may
        // be the very directory just refused as writable by others
        loadTemporaryCopy(library, Path.of(System.getProperty("java.io.tmpdir")));
      }
      return true;
    } catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
      LOG.log(
          System.Logger.Level.ERROR,
          "RocksDB''s native library cannot be loaded: {0}",
          e.toString());
      return false;
    }
  }

  private static Path loadFromCache(
      PackagedLibrary library, Map<String, String> env, String userHome) {
    List<String> refused = new ArrayList<>();
    for (Path base : cacheDirectories(env, userHome)) {
      try {
        Path file = extracted(base.resolve(BUILD_DIR + library.key()), library);
        // RocksDB's list loader looks for this name in each directory it is given
        RocksDB.loadLibrary(List.of(file.getParent().toString()));
        LOG.log(System.Logger.Level.DEBUG, "RocksDB native library loaded from {0}", file);
        pruneOthers(file, Instant.now());
        return file;
      } catch (IOException | DirectoryIteratorException | UnsatisfiedLinkError e) {
        // (a listing that fails part-way, in removeStalePartials, throws the unchecked one)
        refused.add(base + " (" + e.getMessage() + ")");
      }
    }
    LOG.log(
        System.Logger.Level.WARNING,
        "no usable cache directory for the RocksDB native library, so it is copied to a temporary"
            + " file at every start and removed once loaded; set ROCKSDB_SHAREDLIB_DIR to a"
            + " directory only this user can write: {0}",
        String.join("; ", refused));
    return null;
  }

  /**
   * Loads a copy written to a new private directory under {@code tmpBase}, then removes both: a
   * loaded library stays mapped without its file, so not even a {@code kill -9} leaves one behind
   * (RocksDB's own loader deletes its copy only at a clean exit).
   */
  static void loadTemporaryCopy(PackagedLibrary library, Path tmpBase) throws IOException {
    Path dir =
        Files.createTempDirectory(
            tmpBase, "sealpost-rocksdbjni-", PosixFilePermissions.asFileAttribute(PRIVATE_DIR));
    Path file = dir.resolve(LIBRARY_FILE);
    try {
      library.writeTo(Files.createFile(file));
      RocksDB.loadLibrary(List.of(dir.toString()));
    } finally {
      Files.deleteIfExists(file);
      Files.deleteIfExists(dir);
    }
  }

  /**
   * The first cache directory this process may write native code into: private as {@link
   * #extracted} requires (created 0700 when missing) and writable by this user. Another native
   * library's loader can use it in place of a temporary directory that may be mounted {@code
   * noexec} (Netty's, for BoringSSL: the relay's {@code NativeWorkdir}).
   */
  public static Optional<Path> cacheBase() {
    return cacheBase(System.getenv(), System.getProperty("user.home"));
  }

  static Optional<Path> cacheBase(Map<String, String> env, String userHome) {
    for (Path base : cacheDirectories(env, userHome)) {
      try {
        privateBase(base);
        if (Files.isWritable(base)) {
          return Optional.of(base);
        }
      } catch (IOException e) {
        // not usable: the next candidate
      }
    }
    return Optional.empty();
  }

  /** The candidate cache directories in order of preference. */
  static List<Path> cacheDirectories(Map<String, String> env, String userHome) {
    List<Path> dirs = new ArrayList<>();
    String shared = env.get("ROCKSDB_SHAREDLIB_DIR");
    if (shared != null && !shared.isBlank()) {
      dirs.add(Path.of(shared));
    }
    String systemd = env.get("CACHE_DIRECTORY");
    if (systemd != null && !systemd.isBlank()) {
      dirs.add(Path.of(systemd.split(":")[0]));
    }
    String xdg = env.get("XDG_CACHE_HOME");
    if (xdg != null && xdg.startsWith("/")) {
      dirs.add(Path.of(xdg, "sealpost"));
    }
    if (userHome != null && userHome.startsWith("/")) {
      dirs.add(Path.of(userHome, ".cache", "sealpost"));
    }
    return dirs;
  }

  /**
   * The library in {@code dir}, written there first if it is missing or differs from the jar's.
   * Writes go to a partial file renamed into place, so a kill during extraction leaves no torn
   * library (and the partial file is removed at a later start).
   */
  static Path extracted(Path dir, PackagedLibrary library) throws IOException {
    privateBase(dir.getParent());
    if (!Files.isDirectory(dir)) {
      try {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PRIVATE_DIR));
      } catch (java.nio.file.FileAlreadyExistsException raced) {
        // another process made it first
      }
    }
    requirePrivate(dir);
    removeStalePartials(dir);
    Path file = dir.resolve(LIBRARY_FILE);
    if (Files.isRegularFile(file) && library.matches(file)) {
      return file;
    }
    Path partial = Files.createTempFile(dir, PARTIAL, ".so");
    try {
      library.writeTo(partial);
      try {
        Files.move(
            partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(partial);
    }
    return file;
  }

  /** Creates a cache directory 0700 when missing, and refuses one that is not private. */
  private static void privateBase(Path base) throws IOException {
    if (!Files.isDirectory(base)) {
      Files.createDirectories(base, PosixFilePermissions.asFileAttribute(PRIVATE_DIR));
    }
    requirePrivate(base);
  }

  /**
   * A directory someone else could write to could hand us their library: refused. Root's own
   * directories are trusted (a read-only image ships the library in one, issue 12).
   */
  private static void requirePrivate(Path dir) throws IOException {
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir);
    if (perms.contains(PosixFilePermission.GROUP_WRITE)
        || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
      throw new IOException("writable by group or others");
    }
    Path self = Path.of("/proc/self");
    if (Files.exists(self)) {
      Object us = Files.getAttribute(self, "unix:uid");
      Object owner = Files.getAttribute(dir, "unix:uid");
      if (!us.equals(owner) && !Integer.valueOf(0).equals(owner)) {
        throw new IOException("owned by another user");
      }
    }
  }

  /**
   * Marks {@code file} as loaded now, then removes the directories of other builds' libraries in
   * the same cache whose library no process has loaded for {@link #UNUSED_FOR} (each relay upgrade
   * would otherwise leave 16 MB behind). Only directories named as this class names them, holding
   * only regular files, are removed. A process still running an older build keeps the library it
   * has mapped; its next start extracts it again. Best effort: a cache that cannot be written (a
   * read-only image) is left as it is.
   */
  static void pruneOthers(Path file, Instant now) {
    try {
      Files.setLastModifiedTime(file, FileTime.from(now));
    } catch (IOException e) {
      return; // read-only: nothing here is ours to remove either
    }
    Path own = file.getParent();
    FileTime before = FileTime.from(now.minus(UNUSED_FOR));
    try (DirectoryStream<Path> builds =
        Files.newDirectoryStream(own.getParent(), BUILD_DIR + "*")) {
      for (Path other : builds) {
        if (!other.equals(own)
            && BUILD_DIR_NAME.matcher(other.getFileName().toString()).matches()
            && Files.isDirectory(other, LinkOption.NOFOLLOW_LINKS)
            && unusedSince(other.resolve(file.getFileName()), before)) {
          removeBuild(other);
        }
      }
    } catch (IOException | DirectoryIteratorException e) {
      // a clean-up never fails the load: what is left is tried again at the next start
      LOG.log(
          System.Logger.Level.DEBUG,
          "old RocksDB native libraries not removed: {0}",
          e.getClass().getSimpleName());
    }
  }

  private static boolean unusedSince(Path library, FileTime before) throws IOException {
    return !Files.exists(library, LinkOption.NOFOLLOW_LINKS)
        || Files.getLastModifiedTime(library, LinkOption.NOFOLLOW_LINKS).compareTo(before) < 0;
  }

  /** Deletes the regular files in {@code dir}, then {@code dir} if that emptied it. */
  private static void removeBuild(Path dir) throws IOException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
          Files.deleteIfExists(f);
        }
      }
    }
    try {
      Files.deleteIfExists(dir);
    } catch (DirectoryNotEmptyException e) {
      // something else lives there: not ours to remove
    }
  }

  private static void removeStalePartials(Path dir) throws IOException {
    FileTime before = FileTime.from(Instant.now().minus(STALE_PARTIAL));
    try (DirectoryStream<Path> partials = Files.newDirectoryStream(dir, PARTIAL + "*")) {
      for (Path p : partials) {
        if (Files.getLastModifiedTime(p).compareTo(before) < 0) {
          Files.deleteIfExists(p);
        }
      }
    }
  }
}
