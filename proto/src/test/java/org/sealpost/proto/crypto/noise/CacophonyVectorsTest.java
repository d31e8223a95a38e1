package org.sealpost.proto.crypto.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.sealpost.proto.crypto.X25519KeyPair;
import org.sealpost.proto.testing.Json;

/**
 * Replays the vendored cacophony vectors (src/test/resources/noise/README.md) byte for byte: every
 * handshake and transport message in both directions, through the generic core.
 */
class CacophonyVectorsTest {
  private static final HexFormat HEX = HexFormat.of();

  static List<Object> vectors() throws IOException {
    try (InputStream in =
        CacophonyVectorsTest.class.getResourceAsStream("/noise/cacophony-subset.json")) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return Json.arr(Json.obj(Json.parse(text)).get("vectors"));
    }
  }

  @Test
  void vendoredVectorsCoverTheProductionAndInteropSuites() throws IOException {
    List<String> names = vectors().stream().map(v -> (String) Json.obj(v).get("name")).toList();
    assertThat(names)
        .contains(
            "Noise_NK_25519_AESGCM_SHA256",
            "Noise_NK_25519_ChaChaPoly_BLAKE2b",
            "Noise_NN_25519_AESGCM_SHA256",
            "Noise_XX_25519_AESGCM_SHA256",
            "Noise_IK_25519_AESGCM_SHA256",
            "Noise_N_25519_AESGCM_SHA256");
    assertThat(names).hasSizeGreaterThanOrEqualTo(25);
  }

  @TestFactory
  Stream<DynamicTest> everyVendoredVectorReplaysByteForByte() throws IOException {
    return vectors().stream()
        .map(Json::obj)
        .map(v -> dynamicTest((String) v.get("name"), () -> replay(v, -1)));
  }

  @Test
  void aTamperedVectorMessageFailsToDecrypt() throws IOException {
    Map<String, Object> nk =
        vectors().stream()
            .map(Json::obj)
            .filter(v -> v.get("name").equals("Noise_NK_25519_AESGCM_SHA256"))
            .findFirst()
            .orElseThrow();
    for (int message = 0; message < 6; message++) {
      int m = message;
      assertThatThrownBy(() -> replay(nk, m))
          .isInstanceOf(NoiseException.class)
          .extracting(e -> ((NoiseException) e).reason())
          .isEqualTo(NoiseException.Reason.DECRYPT_FAILED);
    }
  }

  /** Replays one vector; if {@code tamper >= 0}, flips the last bit of that message first. */
  private static void replay(Map<String, Object> v, int tamper) {
    NoiseProtocol protocol = NoiseProtocol.parse((String) v.get("name"));
    assertThat(protocol.name()).isEqualTo(v.get("name"));
    HandshakeState init =
        HandshakeState.initialize(
            protocol,
            true,
            hex(v, "init_prologue"),
            keyPair(v, "init_static"),
            keyPair(v, "init_ephemeral"),
            hex(v, "init_remote_static"),
            null,
            null);
    HandshakeState resp =
        HandshakeState.initialize(
            protocol,
            false,
            hex(v, "resp_prologue"),
            keyPair(v, "resp_static"),
            keyPair(v, "resp_ephemeral"),
            hex(v, "resp_remote_static"),
            null,
            null);
    boolean oneWay = protocol.pattern().isOneWay();
    List<Object> messages = Json.arr(v.get("messages"));
    for (int i = 0; i < messages.size(); i++) {
      Map<String, Object> m = Json.obj(messages.get(i));
      byte[] payload = HEX.parseHex((String) m.get("payload"));
      byte[] expected = HEX.parseHex((String) m.get("ciphertext"));
      boolean initiatorSends = oneWay || i % 2 == 0;
      HandshakeState sender = initiatorSends ? init : resp;
      HandshakeState receiver = initiatorSends ? resp : init;
      byte[] ciphertext;
      byte[] decrypted;
      if (!sender.isComplete()) {
        ciphertext = sender.writeMessage(payload);
        assertThat(HEX.formatHex(ciphertext)).as("message %d", i).isEqualTo(m.get("ciphertext"));
        if (i == tamper) {
          ciphertext[ciphertext.length - 1] ^= 1;
        }
        decrypted = receiver.readMessage(ciphertext);
      } else {
        ciphertext = new byte[payload.length + CipherState.TAG_LENGTH];
        sender.sendCipher().encryptWithAd(new byte[0], payload, 0, payload.length, ciphertext, 0);
        assertThat(HEX.formatHex(ciphertext)).as("message %d", i).isEqualTo(m.get("ciphertext"));
        if (i == tamper) {
          ciphertext[ciphertext.length - 1] ^= 1;
        }
        decrypted = new byte[payload.length];
        receiver
            .receiveCipher()
            .decryptWithAd(new byte[0], ciphertext, 0, ciphertext.length, decrypted, 0);
      }
      assertThat(expected).isEqualTo(ciphertext);
      assertThat(decrypted).as("payload %d", i).isEqualTo(payload);
      if (i == 0 || init.isComplete()) {
        if (init.isComplete() && resp.isComplete()) {
          assertThat(init.handshakeHash()).isEqualTo(resp.handshakeHash());
          if (v.containsKey("handshake_hash")) {
            assertThat(HEX.formatHex(init.handshakeHash())).isEqualTo(v.get("handshake_hash"));
          }
        }
      }
    }
    assertThat(init.isComplete()).isTrue();
    assertThat(resp.isComplete()).isTrue();
  }

  private static byte[] hex(Map<String, Object> v, String field) {
    Object o = v.get(field);
    return o == null ? null : HEX.parseHex((String) o);
  }

  private static X25519KeyPair keyPair(Map<String, Object> v, String field) {
    byte[] k = hex(v, field);
    return k == null ? null : X25519KeyPair.fromPrivateKey(k);
  }
}
