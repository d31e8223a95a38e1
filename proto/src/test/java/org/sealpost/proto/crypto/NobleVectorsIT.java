package org.sealpost.proto.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Re-derives every vector in docs/test-vectors/ (queue keys, command MAC, delivery, sealed
 * envelope, forward) with an independent implementation: {@code vectors-noble.mjs} under Node.js,
 * using only the @noble libraries. Fails, never skips, when node is missing or any value differs.
 */
class NobleVectorsIT {
  private static final Path SCRIPT = Path.of("src", "test", "node", "vectors-noble.mjs");

  @Test
  void independentNobleImplementationReproducesEveryVector() throws Exception {
    assertThat(SCRIPT).exists();
    Path log = Files.createTempFile("vectors-noble", ".log");
    try {
      ProcessBuilder pb =
          new ProcessBuilder(
                  "node",
                  SCRIPT.toString(),
                  TestVectors.directory().toAbsolutePath().normalize().toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      Process process;
      try {
        process = pb.start();
      } catch (IOException e) {
        throw new AssertionError("node is required for the interop vectors and was not found", e);
      }
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        fail("vectors-noble.mjs did not finish within 120 s");
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);
      assertThat(process.exitValue()).as("vectors-noble.mjs output:%n%s", output).isZero();
      assertThat(output).containsPattern("all \\d+ checks passed");
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
