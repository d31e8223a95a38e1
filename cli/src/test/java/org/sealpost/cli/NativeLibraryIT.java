package org.sealpost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12: the runnable jar carries one native RocksDB library, and a relay killed with SIGKILL
 * leaves no extracted copy in the temporary directory: every start loads the one in its cache.
 */
class NativeLibraryIT {
  private static final Path JAR = Path.of("target", "sealpost.jar");

  @TempDir Path tmp;

  @Test
  void theJarCarriesOnlyTheTargetPlatformsLibrary() throws Exception {
    try (JarFile jar = new JarFile(JAR.toFile())) {
      assertThat(jar.stream().map(e -> e.getName()).filter(n -> n.contains("librocksdbjni")))
          .containsExactly("librocksdbjni-linux64.so");
    }
  }

  @Test
  void repeatedKillNineLeavesNoLibraryInTheTemporaryDirectory() throws Exception {
    Path javaTmp = Files.createDirectory(tmp.resolve("java-tmp"));
    Path home = Files.createDirectory(tmp.resolve("home"));
    for (int i = 0; i < 3; i++) {
      Process relay = startRelay(tmp.resolve("data"), home, javaTmp);
      try {
        awaitAddress(relay);
      } finally {
        relay.destroyForcibly(); // SIGKILL: no shutdown hook, no deleteOnExit
        assertThat(relay.waitFor(30, TimeUnit.SECONDS)).isTrue();
      }
      assertThat(relay.exitValue()).isEqualTo(128 + 9);
      try (Stream<Path> left = Files.walk(javaTmp)) {
        assertThat(left.map(p -> p.getFileName().toString()))
            .as("after kill -9 number %d", i + 1)
            .noneMatch(n -> n.startsWith("librocksdbjni"));
      }
    }
    Path cache = home.resolve(".cache").resolve("sealpost");
    try (Stream<Path> files = Files.walk(cache)) {
      List<Path> libraries = files.filter(Files::isRegularFile).toList();
      assertThat(libraries).singleElement().satisfies(p -> assertThat(p).hasExtension("so"));
      assertThat(libraries.get(0).getParent().getFileName().toString())
          .matches("rocksdbjni-\\p{XDigit}{16}");
    }
    assertThat(
            java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(cache)))
        .isEqualTo("rwx------");
  }

  private static Process startRelay(Path dataDir, Path home, Path javaTmp) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duser.home=" + home,
                "-Djava.io.tmpdir=" + javaTmp,
                "-jar",
                JAR.toAbsolutePath().toString(),
                "relay",
                "--data-dir",
                dataDir.toString(),
                "--listen-port",
                "0",
                "--admin-port",
                "0",
                "--public-host",
                "127.0.0.1"));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment()
        .keySet()
        .removeAll(List.of("ROCKSDB_SHAREDLIB_DIR", "CACHE_DIRECTORY", "XDG_CACHE_HOME"));
    pb.environment().put("HOME", home.toString());
    return pb.start();
  }

  /** Reads the relay's output until it prints its address: the store is open by then. */
  private static void awaitAddress(Process relay) throws Exception {
    var reader =
        new BufferedReader(new InputStreamReader(relay.getInputStream(), StandardCharsets.UTF_8));
    var seen = new StringBuffer();
    var found =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> {
              try {
                for (String line; (line = reader.readLine()) != null; ) {
                  seen.append(line).append('\n');
                  if (line.startsWith("relay address: ")) {
                    return true;
                  }
                }
              } catch (java.io.IOException e) {
                return false;
              }
              return false;
            });
    assertThat(found.get(60, TimeUnit.SECONDS)).as("relay output:%n%s", seen).isTrue();
  }
}
