package org.sealpost.proto.crypto.noise;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sealpost.proto.crypto.X25519KeyPair;
import org.sealpost.proto.testing.Json;

/** Our code reproduces docs/test-vectors/noise-nk-sealpost.json exactly, from its inputs. */
class SealpostNoiseVectorTest {
  private static final HexFormat HEX = HexFormat.of();

  private static Map<String, Object> committedVector() throws IOException {
    String text = Files.readString(SealpostNoiseVector.file(), StandardCharsets.UTF_8);
    return Json.obj(Json.arr(Json.obj(Json.parse(text)).get("vectors")).get(0));
  }

  @Test
  void theCommittedFileIsExactlyWhatTheImplementationProduces() throws IOException {
    assertThat(Files.readString(SealpostNoiseVector.file(), StandardCharsets.UTF_8))
        .isEqualTo(SealpostNoiseVector.generate());
  }

  @Test
  void aRelayReplayingTheVectorInputsDecryptsEveryClientMessage() throws IOException {
    Map<String, Object> v = committedVector();
    int b = ((Long) v.get("block_size")).intValue();
    NoiseResponder relay =
        new NoiseResponder(
            X25519KeyPair.fromPrivateKey(hex(v, "relay_static_private")),
            b,
            NoiseSuite.parse((String) v.get("protocol_name")),
            new FixedSecureRandom(hex(v, "relay_ephemeral_private")));
    assertThat(relay.readHandshake1(hex(v, "handshake1"))).isEqualTo(hex(v, "handshake1_payload"));
    assertThat(relay.writeHandshake2(hex(v, "handshake2_payload"))).isEqualTo(hex(v, "handshake2"));
    NoiseTransport t = relay.transport();
    assertThat(t.handshakeHash()).isEqualTo(hex(v, "handshake_hash"));
    List<Object> blocks = Json.arr(v.get("transport"));
    for (Object o : blocks) {
      Map<String, Object> blk = Json.obj(o);
      if (blk.get("direction").equals("client_to_relay")) {
        assertThat(t.decrypt(hex(blk, "ciphertext"))).isEqualTo(hex(blk, "plaintext"));
      } else {
        assertThat(t.encrypt(hex(blk, "plaintext"))).isEqualTo(hex(blk, "ciphertext"));
      }
    }
  }

  private static byte[] hex(Map<String, Object> v, String field) {
    return HEX.parseHex((String) v.get(field));
  }
}
