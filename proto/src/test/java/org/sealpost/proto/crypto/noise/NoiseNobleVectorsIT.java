package org.sealpost.proto.crypto.noise;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/test-vectors/noise-nk-sealpost.json re-derived by an independent implementation
 * (src/test/node/noise-vectors-noble.js: @noble/curves, @noble/ciphers, @noble/hashes only) in a
 * real Node.js child process. Fails (never skips) without node.
 */
class NoiseNobleVectorsIT {

  private static int runNoble(Path vectorFile, StringBuilder output) {
    try (NodeProcess node =
        NodeProcess.start("noise-vectors-noble.js", vectorFile.toAbsolutePath().toString())) {
      int code = node.exitCode();
      output
          .append(String.join("\n", node.remainingLines()))
          .append('\n')
          .append(node.diagnostics());
      return code;
    }
  }

  @Test
  void nobleReDerivesTheCommittedSealpostVector() {
    StringBuilder out = new StringBuilder();
    assertThat(runNoble(SealpostNoiseVector.file(), out)).as(out.toString()).isZero();
    assertThat(out.toString()).contains("OK ");
  }

  @Test
  void nobleRejectsAVectorWithOneWrongByte(@TempDir Path dir) throws IOException {
    String text = Files.readString(SealpostNoiseVector.file(), StandardCharsets.UTF_8);
    String marker = "\"handshake_hash\": \"";
    int i = text.indexOf(marker) + marker.length();
    char flipped = text.charAt(i) == '0' ? '1' : '0';
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, text.substring(0, i) + flipped + text.substring(i + 1));
    StringBuilder out = new StringBuilder();
    assertThat(runNoble(bad, out)).as(out.toString()).isEqualTo(1);
    assertThat(out.toString()).contains("MISMATCH vectors[0].handshake_hash");
  }
}
