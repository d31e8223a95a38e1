package org.sealpost.proto.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sealpost.proto.crypto.CryptoAssertions.assertFails;

import org.junit.jupiter.api.Test;
import org.sealpost.proto.crypto.CryptoException.Reason;

class DeliveryCipherTest {
  private final RandomSource random = RandomSource.secure();
  private final DeliveryCipher cipher = new DeliveryCipher(SealedEnvelope.DEFAULT_SIZE);
  private final byte[] key = random.bytes(32);
  private final byte[] rid = random.bytes(32);
  private final byte[] envelope = random.bytes(SealedEnvelope.DEFAULT_SIZE);

  @Test
  void recipientDecryptsWhatTheRelayEncrypted() throws CryptoException {
    byte[] id = MessageIds.random(random);
    byte[] ct = cipher.encrypt(key, id, rid, envelope);
    assertThat(ct).hasSize(SealedEnvelope.DEFAULT_SIZE + 16).hasSize(cipher.ciphertextSize());
    assertThat(cipher.decrypt(key, id, rid, ct)).isEqualTo(envelope);
  }

  @Test
  void redeliveryWithTheSameMessageIdYieldsTheIdenticalCiphertext() {
    byte[] id = MessageIds.random(random);
    assertThat(cipher.encrypt(key, id, rid, envelope))
        .isEqualTo(cipher.encrypt(key, id, rid, envelope));
  }

  @Test
  void aFailedDecryptionLeavesTheThreadsCipherUsable() throws CryptoException {
    // AES-GCM reuses one cipher per thread (issue 13): a refused tag must not spoil the next use
    byte[] id = MessageIds.random(random);
    byte[] ct = cipher.encrypt(key, id, rid, envelope);
    byte[] bad = ct.clone();
    bad[0] ^= 1;
    assertFails(Reason.AUTHENTICATION_FAILED, () -> cipher.decrypt(key, id, rid, bad));
    assertThat(cipher.decrypt(key, id, rid, ct)).isEqualTo(envelope);
    assertThat(cipher.encrypt(key, id, rid, envelope)).isEqualTo(ct);
    assertThat(cipher.decrypt(key, id, rid, cipher.encrypt(key, id, rid, envelope)))
        .isEqualTo(envelope);
  }

  @Test
  void ciphertextIsBoundToMessageIdAndRecipientId() {
    byte[] id = MessageIds.random(random);
    byte[] ct = cipher.encrypt(key, id, rid, envelope);
    assertFails(
        Reason.AUTHENTICATION_FAILED,
        () -> cipher.decrypt(key, MessageIds.random(random), rid, ct));
    assertFails(Reason.AUTHENTICATION_FAILED, () -> cipher.decrypt(key, id, random.bytes(32), ct));
    assertFails(Reason.AUTHENTICATION_FAILED, () -> cipher.decrypt(random.bytes(32), id, rid, ct));
  }

  @Test
  void wrongSizesAreTypedErrors() {
    byte[] id = MessageIds.random(random);
    byte[] ct = cipher.encrypt(key, id, rid, envelope);
    assertFails(Reason.WRONG_SIZE, () -> cipher.decrypt(key, new byte[8], rid, ct));
    assertFails(Reason.WRONG_SIZE, () -> cipher.decrypt(key, id, rid, new byte[ct.length - 1]));
    assertFails(Reason.WRONG_SIZE, () -> cipher.decrypt(key, id, rid, null));
  }

  @Test
  void messageIdsAreTwelveFreshRandomBytes() {
    byte[] seed = TestVectors.seed("message id", 12);
    assertThat(MessageIds.random(new FixedRandom(seed))).isEqualTo(seed);
    assertThat(MessageIds.random(random)).hasSize(12).isNotEqualTo(MessageIds.random(random));
  }
}
