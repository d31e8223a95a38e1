package org.sealpost.proto.pow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** CreateQueue's proof of work against docs/test-vectors/create-pow.json. */
class CreatePowTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void solvesAndVerifiesTheVectors() throws Exception {
    JsonNode v =
        new ObjectMapper()
            .readTree(Path.of("..", "docs", "test-vectors", "create-pow.json").toFile());
    byte[] h = HEX.parseHex(v.get("handshake_hash_hex").asText());
    byte[] rq = HEX.parseHex(v.get("queue_key_hex").asText());
    for (JsonNode s : v.get("vectors")) {
      int bits = s.get("bits").asInt();
      byte[] nonce = HEX.parseHex(s.get("nonce_hex").asText());
      assertThat(CreatePow.solve(h, rq, bits, 0)).as("bits %d", bits).isEqualTo(nonce);
      assertThat(CreatePow.verify(h, rq, nonce, bits)).isTrue();
      int zeros = s.get("leading_zero_bits").asInt();
      assertThat(CreatePow.verify(h, rq, nonce, zeros + 1)).isFalse();
    }
  }

  @Test
  void aProofIsBoundToTheSessionAndTheQueueKey() {
    byte[] h = new byte[32];
    byte[] rq = new byte[32];
    rq[0] = 1;
    byte[] nonce = CreatePow.solve(h, rq, 16, 0);
    byte[] otherH = h.clone();
    otherH[31] = 1;
    byte[] otherRq = rq.clone();
    otherRq[31] = 1;
    assertThat(CreatePow.verify(h, rq, nonce, 16)).isTrue();
    // another session or another queue key: almost surely not a proof (2^-16 chance each)
    assertThat(CreatePow.verify(otherH, rq, nonce, 16)).isFalse();
    assertThat(CreatePow.verify(h, otherRq, nonce, 16)).isFalse();
    assertThat(CreatePow.verify(h, rq, null, 16)).isFalse();
    assertThat(CreatePow.verify(h, rq, new byte[7], 16)).isFalse();
    assertThat(CreatePow.verify(h, rq, null, 0)).isTrue();
  }
}
