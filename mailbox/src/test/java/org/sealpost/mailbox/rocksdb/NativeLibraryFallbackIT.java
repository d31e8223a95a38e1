package org.sealpost.mailbox.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When no cache directory can be used, the library is loaded from a temporary copy that is gone
 * once loaded, even for a process killed with {@code kill -9}; and a refused {@code
 * ROCKSDB_SHAREDLIB_DIR} is never written to (RocksDB's own loader would extract into it). Each
 * case runs in a JVM of its own: a process loads the library only once.
 */
class NativeLibraryFallbackIT {
  @TempDir Path tmp;

  /** A cache directory others can write: refused, and the only one the child is offered. */
  private Path refusedCache() throws Exception {
    Path shared = Files.createDirectory(tmp.resolve("shared"));
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
    return shared;
  }

  private Process child(Path cache, Path tmpDir) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-Djava.io.tmpdir=" + tmpDir);
    cmd.add("-Duser.home=not-absolute"); // so ~/.cache/sealpost is no candidate
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(NativeLibraryChild.class.getName());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove("CACHE_DIRECTORY");
    pb.environment().remove("XDG_CACHE_HOME");
    pb.environment().put("ROCKSDB_SHAREDLIB_DIR", cache.toString());
    return pb.start();
  }

  /** The child's lines up to the one that starts with {@code ready} or {@code refused}. */
  private static String until(Process p) throws Exception {
    StringBuilder out = new StringBuilder();
    BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    for (String line; (line = r.readLine()) != null; ) {
      out.append(line).append('\n');
      if (line.startsWith("ready") || line.startsWith("refused")) {
        break;
      }
    }
    return out.toString();
  }

  @Test
  void aTemporaryCopyIsGoneOnceLoadedEvenForAKilledProcess() throws Exception {
    Path cache = refusedCache();
    Path tmpDir = Files.createDirectory(tmp.resolve("java-tmp"));
    Process p = child(cache, tmpDir);
    try {
      String out = until(p);
      assertThat(out)
          .contains("no usable cache directory", "writable by group or others")
          .contains("loaded from Optional.empty", "ready: RocksDB ");
      try (var left = Files.list(tmpDir)) {
        assertThat(left.toList()).as("the copy, once loaded").isEmpty();
      }
    } finally {
      p.destroyForcibly(); // kill -9
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    try (var left = Files.list(tmpDir)) {
      assertThat(left.toList()).isEmpty();
    }
    try (var left = Files.list(cache)) {
      assertThat(left.toList()).as("the refused directory").isEmpty();
    }
  }

  @Test
  void noPlaceToPutTheLibraryIsAClearRefusalThatWritesNothing() throws Exception {
    Path cache = refusedCache();
    Process p = child(cache, tmp.resolve("no-such-tmp"));
    String out;
    try {
      out = until(p);
    } finally {
      p.destroyForcibly();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(out)
        .contains("RocksDB's native library cannot be loaded: java.nio.file.NoSuchFileException")
        .contains("refused: STORAGE: open store: RocksDB's native library cannot be loaded");
    try (var left = Files.list(cache)) {
      assertThat(left.toList()).as("the refused directory").isEmpty();
    }
  }
}
