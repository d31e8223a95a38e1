package org.sealpost.proto.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Re-derives every vector in docs/test-vectors/ (queue keys, command MAC, delivery, sealed
 * envelope, forward) with an independent implementation: {@code vectors-noble.mjs} under Node.js,
 * using only the @noble libraries. Fails, never skips, when node is missing or any value differs.
 */
class NobleVectorsIT {
  private static final Path SCRIPT = Path.of("src", "test", "node", "vectors-noble.mjs");

  @Test
  void independentNobleImplementationReproducesEveryVector() throws Exception {
    Result result = runScript(TestVectors.directory().toAbsolutePath().normalize());
    assertThat(result.exitCode()).as("vectors-noble.mjs output:%n%s", result.output()).isZero();
    assertThat(result.output()).containsPattern("all \\d+ checks passed");
  }

  @Test
  void scriptFailsWhenAVectorIsWrong(@TempDir Path copy) throws Exception {
    for (String name : TestVectors.FILES) {
      Files.copy(TestVectors.directory().resolve(name + ".json"), copy.resolve(name + ".json"));
    }
    // issue 12: not written by TestVectors (CreatePowTest checks it against the Java code)
    Files.copy(TestVectors.directory().resolve("create-pow.json"), copy.resolve("create-pow.json"));
    Path envelope = copy.resolve("envelope.json");
    String json = Files.readString(envelope, StandardCharsets.UTF_8);
    // Change one hex digit of the first k2: the script must notice.
    int at = json.indexOf("\"k2\": \"") + 7;
    char flipped = json.charAt(at) == '0' ? '1' : '0';
    Files.writeString(
        envelope, json.substring(0, at) + flipped + json.substring(at + 1), StandardCharsets.UTF_8);
    Result result = runScript(copy);
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.output()).contains("envelope[0].k2");
  }

  private record Result(int exitCode, String output) {}

  private static Result runScript(Path vectors) throws Exception {
    assertThat(SCRIPT).exists();
    Path log = Files.createTempFile("vectors-noble", ".log");
    try {
      ProcessBuilder pb =
          new ProcessBuilder("node", SCRIPT.toString(), vectors.toString())
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
      return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
