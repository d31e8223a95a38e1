package org.sealpost.proto.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class QueueKeysTest {
  private final RandomSource random = RandomSource.secure();

  @Test
  void relayAndRecipientDeriveTheSameTwoDistinctKeys() throws CryptoException {
    X25519KeyPair q = X25519KeyPair.generate(random);
    X25519KeyPair r = X25519KeyPair.generate(random);
    QueueKeys relay = QueueKeys.deriveForRelay(q, r.publicKey());
    QueueKeys recipient = QueueKeys.deriveForRecipient(r, q.publicKey());
    assertThat(relay.deliveryKey()).isEqualTo(recipient.deliveryKey()).hasSize(32);
    assertThat(relay.macKey()).isEqualTo(recipient.macKey()).hasSize(32);
    assertThat(relay.deliveryKey()).isNotEqualTo(relay.macKey());
  }

  @Test
  void keysOfDifferentQueuesDiffer() throws CryptoException {
    X25519KeyPair r = X25519KeyPair.generate(random);
    QueueKeys a = QueueKeys.deriveForRelay(X25519KeyPair.generate(random), r.publicKey());
    QueueKeys b = QueueKeys.deriveForRelay(X25519KeyPair.generate(random), r.publicKey());
    assertThat(a.toBytes()).isNotEqualTo(b.toBytes());
  }

  @Test
  void storedBytesRoundTrip() throws CryptoException {
    QueueKeys keys =
        QueueKeys.deriveForRelay(
            X25519KeyPair.generate(random), X25519KeyPair.generate(random).publicKey());
    QueueKeys restored = QueueKeys.fromBytes(keys.toBytes());
    assertThat(restored.deliveryKey()).isEqualTo(keys.deliveryKey());
    assertThat(restored.macKey()).isEqualTo(keys.macKey());
  }

  @Test
  void relayRejectsALowOrderRecipientKey() {
    assertThatThrownBy(() -> QueueKeys.deriveForRelay(X25519KeyPair.generate(random), new byte[32]))
        .isInstanceOfSatisfying(
            CryptoException.class,
            e -> assertThat(e.reason()).isEqualTo(CryptoException.Reason.INVALID_PUBLIC_KEY));
  }

  @Test
  void destroyZeroesAndRefusesAccess() throws CryptoException {
    QueueKeys keys = QueueKeys.fromBytes(TestVectors.seed("queue keys destroy", 64));
    keys.destroy();
    assertThat(keys.isDestroyed()).isTrue();
    assertThatThrownBy(keys::macKey).isInstanceOf(IllegalStateException.class);
  }
}
