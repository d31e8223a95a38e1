package org.sealpost.proto.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sealpost.proto.crypto.CryptoAssertions.assertFails;
import static org.sealpost.proto.crypto.TestVectors.unhex;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sealpost.proto.crypto.CryptoException.Reason;

/**
 * The committed vectors in docs/test-vectors/ are exactly what the production code produces from
 * their inputs, and every invalid vector fails in Java with the reason the file names.
 */
class TestVectorsTest {

  static List<String> files() {
    return TestVectors.FILES;
  }

  @ParameterizedTest
  @MethodSource("files")
  void committedFileIsReproducedExactly(String name) throws IOException, CryptoException {
    String committed =
        Files.readString(TestVectors.directory().resolve(name + ".json"), StandardCharsets.UTF_8);
    assertThat(committed)
        .as(
            "docs/test-vectors/%s.json (regenerate with TestVectors.main after a deliberate change)",
            name)
        .isEqualTo(TestVectors.generate(name));
  }

  @Test
  void invalidQueueKeysAreRejectedWithTheNamedReason() throws CryptoException {
    for (Map<String, Object> v : list(TestVectors.queueKeys(), "invalid")) {
      X25519KeyPair q = X25519KeyPair.fromPrivateKey(unhex(str(v, "relay_queue_private")));
      assertFails(
          Reason.valueOf(str(v, "error")),
          () -> QueueKeys.deriveForRelay(q, unhex(str(v, "recipient_public"))));
    }
  }

  @Test
  void addressChangeVectorsOpenAndInvalidOnesFailWithTheNamedReason() throws CryptoException {
    Map<String, Object> tree = TestVectors.addressChange();
    List<Map<String, Object>> vectors = list(tree, "vectors");
    for (Map<String, Object> v : vectors) {
      AddressChangeNotice notice =
          AddressChangeNotice.open(
              unhex(str(v, "content")),
              X25519KeyPair.fromPrivateKey(unhex(str(v, "contact_sealing_private"))));
      assertThat(notice.newAddress()).isEqualTo(str(v, "new_address"));
      assertThat(notice.oldSenderId()).isEqualTo(unhex(str(v, "old_sender_id")));
      assertThat(notice.oldSealingKey()).isEqualTo(unhex(str(v, "old_sealing_public")));
    }
    X25519KeyPair contact =
        X25519KeyPair.fromPrivateKey(unhex(str(vectors.get(0), "contact_sealing_private")));
    for (Map<String, Object> v : list(tree, "invalid")) {
      assertFails(
          Reason.valueOf(str(v, "error")),
          () -> AddressChangeNotice.open(unhex(str(v, "content")), contact));
    }
  }

  @Test
  void commandMacVectorsVerify() {
    for (Map<String, Object> v : list(TestVectors.commandMac(), "vectors")) {
      assertThat(
              CommandMac.verify(
                  unhex(str(v, "mac_key")),
                  unhex(str(v, "handshake_hash")),
                  unhex(str(v, "recipient_id")),
                  unhex(str(v, "command")),
                  unhex(str(v, "mac"))))
          .isTrue();
    }
  }

  @Test
  void deliveryVectorsDecryptAndInvalidOnesFail() throws CryptoException {
    Map<String, Object> root = TestVectors.delivery();
    DeliveryCipher cipher = new DeliveryCipher((Integer) root.get("envelope_size"));
    Map<String, Object> v0 = list(root, "vectors").get(0);
    byte[] key = unhex(str(v0, "delivery_key"));
    byte[] id = unhex(str(v0, "message_id"));
    byte[] rid = unhex(str(v0, "recipient_id"));
    assertThat(cipher.decrypt(key, id, rid, unhex(str(v0, "ciphertext"))))
        .isEqualTo(unhex(str(v0, "envelope")));
    for (Map<String, Object> v : list(root, "invalid")) {
      assertFails(
          Reason.valueOf(str(v, "error")),
          () -> cipher.decrypt(key, id, rid, unhex(str(v, "ciphertext"))));
    }
  }

  @Test
  void envelopeVectorsOpenAndInvalidOnesFail() throws CryptoException {
    Map<String, Object> root = TestVectors.envelope();
    SealedEnvelope sealer = new SealedEnvelope((Integer) root.get("envelope_size"));
    for (Map<String, Object> v : list(root, "vectors")) {
      X25519KeyPair recipient =
          X25519KeyPair.fromPrivateKey(unhex(str(v, "recipient_sealing_private")));
      SealedEnvelope.Opened opened = sealer.open(recipient, unhex(str(v, "envelope")));
      assertThat(opened.senderIdentityKey()).isEqualTo(unhex(str(v, "sender_identity_public")));
      assertThat(opened.envelopeId()).isEqualTo(unhex(str(v, "envelope_id")));
      assertThat(opened.content()).isEqualTo(unhex(str(v, "content")));
    }
    X25519KeyPair recipient0 =
        X25519KeyPair.fromPrivateKey(
            unhex(str(list(root, "vectors").get(0), "recipient_sealing_private")));
    List<Map<String, Object>> invalid = list(root, "invalid");
    assertThat(invalid).hasSizeGreaterThanOrEqualTo(7);
    for (Map<String, Object> v : invalid) {
      assertFails(
          Reason.valueOf(str(v, "error")),
          () -> sealer.open(recipient0, unhex(str(v, "envelope"))));
    }
  }

  @Test
  void forwardVectorsOpenAndInvalidOnesFail() throws CryptoException {
    Map<String, Object> root = TestVectors.forward();
    ForwardSeal seal = new ForwardSeal((Integer) root.get("envelope_size"));
    for (Map<String, Object> v : list(root, "vectors")) {
      X25519KeyPair relay = X25519KeyPair.fromPrivateKey(unhex(str(v, "relay_static_private")));
      ForwardSeal.OpenedRequest opened = seal.open(relay, unhex(str(v, "sealed_request")));
      assertThat(opened.timeMinutes()).isEqualTo(v.get("time_minutes"));
      assertThat(opened.innerFrame()).isEqualTo(unhex(str(v, "inner_frame")));
      assertThat(opened.replyKey()).isEqualTo(unhex(str(v, "reply_key")));
      assertThat(ForwardSeal.openReply(opened.replyKey(), unhex(str(v, "sealed_reply"))))
          .isEqualTo(unhex(str(v, "reply_frame")));
    }
    Map<String, Object> v0 = list(root, "vectors").get(0);
    X25519KeyPair relay0 = X25519KeyPair.fromPrivateKey(unhex(str(v0, "relay_static_private")));
    byte[] replyKey0 = unhex(str(v0, "reply_key"));
    for (Map<String, Object> v : list(root, "invalid")) {
      Reason reason = Reason.valueOf(str(v, "error"));
      if (v.containsKey("sealed_request")) {
        assertFails(reason, () -> seal.open(relay0, unhex(str(v, "sealed_request"))));
      } else {
        assertFails(reason, () -> ForwardSeal.openReply(replyKey0, unhex(str(v, "sealed_reply"))));
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Map<String, Object> root, String key) {
    return (List<Map<String, Object>>) root.get(key);
  }

  private static String str(Map<String, Object> v, String key) {
    return (String) v.get(key);
  }
}
