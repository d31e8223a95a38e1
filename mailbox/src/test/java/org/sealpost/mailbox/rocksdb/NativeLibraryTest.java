package org.sealpost.mailbox.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The RocksDB native library cache: where it goes, reuse, repair, refusal (issue 12), and the
 * removal of other builds' libraries nobody loads any more.
 */
class NativeLibraryTest {
  private static final byte[] LIBRARY = "not really a library".getBytes();
  private static final PackagedLibrary PACKAGED = PackagedLibrary.of(LIBRARY);

  @TempDir Path tmp;

  @Test
  void cacheDirectoriesInOrderOfPreference() {
    assertThat(
            NativeLibrary.cacheDirectories(
                Map.of(
                    "ROCKSDB_SHAREDLIB_DIR", "/opt/rocks",
                    "CACHE_DIRECTORY", "/var/cache/sealpost:/var/cache/other",
                    "XDG_CACHE_HOME", "/home/op/.cache"),
                "/home/op"))
        .containsExactly(
            Path.of("/opt/rocks"),
            Path.of("/var/cache/sealpost"),
            Path.of("/home/op/.cache/sealpost"),
            Path.of("/home/op/.cache/sealpost"));
    // relative or missing values are not used
    assertThat(NativeLibrary.cacheDirectories(Map.of("XDG_CACHE_HOME", "cache"), "?")).isEmpty();
  }

  @Test
  void extractsOnceIntoAPrivateDirectoryAndReusesIt() throws Exception {
    Path dir = tmp.resolve("cache").resolve("rocksdbjni-00");
    Path file = NativeLibrary.extracted(dir, PACKAGED);
    assertThat(file).hasBinaryContent(LIBRARY);
    assertThat(perms(dir.getParent())).isEqualTo("rwx------");
    assertThat(perms(dir)).isEqualTo("rwx------");

    FileTime old = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));
    Files.setLastModifiedTime(file, old);
    Object inode = Files.getAttribute(file, "unix:ino");
    assertThat(NativeLibrary.extracted(dir, PACKAGED)).isEqualTo(file);
    assertThat(Files.getLastModifiedTime(file)).isEqualTo(old);
    assertThat(Files.getAttribute(file, "unix:ino")).isEqualTo(inode);
  }

  @Test
  void aDamagedCopyIsReplacedAndOldPartialFilesRemoved() throws Exception {
    Path dir = tmp.resolve("cache").resolve("rocksdbjni-00");
    Path file = NativeLibrary.extracted(dir, PACKAGED);
    Files.write(file, "torn".getBytes());
    Path stale = Files.createFile(dir.resolve(".partial-123.so"));
    Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minusSeconds(3600)));
    Path fresh = Files.createFile(dir.resolve(".partial-456.so"));

    assertThat(NativeLibrary.extracted(dir, PACKAGED)).hasBinaryContent(LIBRARY);
    assertThat(stale).doesNotExist();
    assertThat(fresh).exists(); // may be another process extracting right now
    try (var left = Files.list(dir)) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(file.getFileName().toString(), ".partial-456.so");
    }
  }

  @Test
  void aCopyOfTheRightSizeWithOneByteChangedIsReplaced() throws Exception {
    Path dir = tmp.resolve("cache").resolve("rocksdbjni-00");
    Path file = NativeLibrary.extracted(dir, PACKAGED);
    byte[] flipped = LIBRARY.clone();
    flipped[7] ^= 1;
    Files.write(file, flipped);

    assertThat(NativeLibrary.extracted(dir, PACKAGED)).hasBinaryContent(LIBRARY);
  }

  @Test
  void aLibraryThatFailsItsOwnChecksumIsNeitherInstalledNorLeftBehind() throws Exception {
    Path dir = tmp.resolve("cache").resolve("rocksdbjni-00");
    PackagedLibrary damaged =
        new PackagedLibrary(PACKAGED.size(), PACKAGED.crc() ^ 1, PACKAGED.opener());

    assertThatThrownBy(() -> NativeLibrary.extracted(dir, damaged))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("does not match its own checksum");
    try (var left = Files.list(dir)) {
      assertThat(left.toList()).isEmpty();
    }
  }

  @Test
  void aDirectoryOthersCanWriteIsRefused() throws Exception {
    Path base = Files.createDirectory(tmp.resolve("shared"));
    Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertThatThrownBy(() -> NativeLibrary.extracted(base.resolve("rocksdbjni-00"), PACKAGED))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("writable by group or others");
    try (var left = Files.list(base)) {
      assertThat(left.toList()).isEmpty();
    }
  }

  @Test
  void aLoadRemovesOnlyTheLibrariesOfOtherBuildsUnusedForAWeek() throws Exception {
    Path base = Files.createDirectory(tmp.resolve("cache"));
    Path file = NativeLibrary.extracted(base.resolve("rocksdbjni-00"), PACKAGED);
    String name = file.getFileName().toString();
    Instant now = Instant.parse("2026-12-08T02:00:00Z");
    FileTime eightDaysAgo = FileTime.from(now.minus(java.time.Duration.ofDays(8)));
    FileTime sixDaysAgo = FileTime.from(now.minus(java.time.Duration.ofDays(6)));
    // an old build: its library and a partial file left by a kill during its extraction
    Path old = Files.createDirectory(base.resolve("rocksdbjni-0123456789abcdef"));
    Files.write(old.resolve(name), LIBRARY);
    Files.write(old.resolve(".partial-1.so"), LIBRARY);
    Files.setLastModifiedTime(old.resolve(name), eightDaysAgo);
    // a build loaded six days ago (another relay version on this machine)
    Path recent = Files.createDirectory(base.resolve("rocksdbjni-fedcba9876543210"));
    Files.write(recent.resolve(name), LIBRARY);
    Files.setLastModifiedTime(recent.resolve(name), sixDaysAgo);
    // an old build's directory that holds something else too, and names that are not ours
    Path shared = Files.createDirectory(base.resolve("rocksdbjni-aaaaaaaaaaaaaaaa"));
    Files.write(shared.resolve(name), LIBRARY);
    Files.setLastModifiedTime(shared.resolve(name), eightDaysAgo);
    Files.createDirectory(shared.resolve("keep"));
    Path foreign = Files.createDirectory(base.resolve("rocksdbjni-notahash"));
    Files.write(foreign.resolve(name), LIBRARY);
    Files.setLastModifiedTime(foreign.resolve(name), eightDaysAgo);
    Path unrelated = Files.write(base.resolve("notes.txt"), LIBRARY);
    Files.setLastModifiedTime(unrelated, eightDaysAgo);

    NativeLibrary.pruneOthers(file, now);

    assertThat(Files.getLastModifiedTime(file).toInstant()).isEqualTo(now);
    assertThat(old).doesNotExist();
    assertThat(recent.resolve(name)).exists();
    assertThat(shared.resolve("keep")).isDirectory();
    assertThat(shared.resolve(name)).doesNotExist();
    assertThat(foreign.resolve(name)).exists();
    assertThat(unrelated).exists();
    assertThat(file).hasBinaryContent(LIBRARY);
  }

  @Test
  void nothingIsRemovedWhenTheLoadedLibraryCannotBeMarked() throws Exception {
    // a read-only image: the mark fails (here: the library is not where the mark goes, which
    // fails for root too), and then nothing in that cache is touched
    Path base = Files.createDirectory(tmp.resolve("image"));
    Path own = Files.createDirectory(base.resolve("rocksdbjni-00"));
    Path unmarkable = own.resolve("librocksdbjni-linux64.so");
    Path old = Files.createDirectory(base.resolve("rocksdbjni-0123456789abcdef"));
    Files.write(old.resolve(unmarkable.getFileName()), LIBRARY);
    Files.setLastModifiedTime(
        old.resolve(unmarkable.getFileName()),
        FileTime.from(Instant.parse("2026-01-01T00:00:00Z")));

    NativeLibrary.pruneOthers(unmarkable, Instant.parse("2026-12-08T02:00:00Z"));

    assertThat(old.resolve(unmarkable.getFileName())).exists();
  }

  @Test
  void theCacheBaseIsTheFirstPrivateWritableCandidateCreatedIfMissing() throws Exception {
    Path shared = Files.createDirectory(tmp.resolve("shared"));
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
    Path xdg = tmp.resolve("xdg");

    assertThat(
            NativeLibrary.cacheBase(
                Map.of(
                    "ROCKSDB_SHAREDLIB_DIR", shared.toString(), "XDG_CACHE_HOME", xdg.toString()),
                "not-absolute"))
        .contains(xdg.resolve("sealpost"));
    assertThat(perms(xdg.resolve("sealpost"))).isEqualTo("rwx------");
    assertThat(NativeLibrary.cacheBase(Map.of("ROCKSDB_SHAREDLIB_DIR", shared.toString()), "?"))
        .isEmpty();
  }

  @Test
  void loadsTheRealLibraryFromItsCache() {
    // the whole path with the library in the jar: what RocksEngine.open calls first
    assertThat(NativeLibrary.load()).hasValueSatisfying(p -> assertThat(p).isRegularFile());
    // the native library answers, and it is the one of the rocksdbjni jar the build chose
    String jar = org.rocksdb.RocksDB.class.getPackage().getImplementationVersion();
    assertThat(jar).isNotBlank();
    assertThat(jar).startsWith(org.rocksdb.RocksDB.rocksdbVersion().toString());
  }

  private static String perms(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }
}
