package org.sealpost.proto.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sealpost.proto.crypto.CryptoAssertions.assertFails;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.sealpost.proto.crypto.CryptoException.Reason;

class SealedEnvelopeTest {
  private final RandomSource random = RandomSource.secure();
  private final SealedEnvelope sealer = new SealedEnvelope(SealedEnvelope.DEFAULT_SIZE);
  private final X25519KeyPair recipient = X25519KeyPair.generate(random);
  private final X25519KeyPair sender = X25519KeyPair.generate(random);

  @Test
  void recipientLearnsSenderIdentityEnvelopeIdAndContent() throws CryptoException {
    byte[] content = "hello".getBytes(StandardCharsets.UTF_8);
    byte[] envelope = sealer.seal(sender, recipient.publicKey(), content, random);
    SealedEnvelope.Opened opened = sealer.open(recipient, envelope);
    assertThat(opened.senderIdentityKey()).isEqualTo(sender.publicKey());
    assertThat(opened.envelopeId()).hasSize(16);
    assertThat(opened.content()).isEqualTo(content);
  }

  @Test
  void everyEnvelopeIsExactlyEBytesWhateverTheContent() throws CryptoException {
    assertThat(sealer.capacity()).isEqualTo(15847 - 117);
    for (int length : new int[] {0, 1, 1000, sealer.capacity()}) {
      byte[] envelope = sealer.seal(sender, recipient.publicKey(), new byte[length], random);
      assertThat(envelope).hasSize(15847);
      assertThat(sealer.open(recipient, envelope).content()).hasSize(length);
    }
  }

  @Test
  void sealingTwiceGivesDifferentEnvelopesAndIds() throws CryptoException {
    byte[] content = new byte[10];
    byte[] a = sealer.seal(sender, recipient.publicKey(), content, random);
    byte[] b = sealer.seal(sender, recipient.publicKey(), content, random);
    assertThat(a).isNotEqualTo(b);
    assertThat(sealer.open(recipient, a).envelopeId())
        .isNotEqualTo(sealer.open(recipient, b).envelopeId());
  }

  @Test
  void contentAboveCapacityIsRefusedWithAMessageNamingTheCapacity() {
    assertThatThrownBy(
            () ->
                sealer.seal(sender, recipient.publicKey(), new byte[sealer.capacity() + 1], random))
        .isInstanceOfSatisfying(
            CryptoException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE);
              assertThat(e.getMessage()).contains("capacity of 15730 bytes");
            });
  }

  @Test
  void anotherRecipientCannotOpen() throws CryptoException {
    byte[] envelope = sealer.seal(sender, recipient.publicKey(), new byte[3], random);
    assertFails(
        Reason.AUTHENTICATION_FAILED, () -> sealer.open(X25519KeyPair.generate(random), envelope));
  }

  @Test
  void swappingTheSenderKeyLayerBreaksTheContentLayer() throws CryptoException {
    // An attacker who re-encrypts layer 1 cannot claim another sender: layer 2 binds c1.
    byte[] a = sealer.seal(sender, recipient.publicKey(), new byte[3], random);
    byte[] b =
        sealer.seal(X25519KeyPair.generate(random), recipient.publicKey(), new byte[3], random);
    byte[] spliced = a.clone();
    System.arraycopy(b, 0, spliced, 0, 81);
    assertFails(Reason.AUTHENTICATION_FAILED, () -> sealer.open(recipient, spliced));
  }

  @Test
  void wrongSizeAndVersionAreTypedErrors() throws CryptoException {
    byte[] envelope = sealer.seal(sender, recipient.publicKey(), new byte[3], random);
    assertFails(Reason.WRONG_SIZE, () -> sealer.open(recipient, new byte[100]));
    assertFails(Reason.WRONG_SIZE, () -> sealer.open(recipient, null));
    envelope[0] = 0;
    assertFails(Reason.UNSUPPORTED_VERSION, () -> sealer.open(recipient, envelope));
  }

  @Test
  void refusesALowOrderRecipientKeyWhenSealing() {
    assertFails(
        Reason.INVALID_PUBLIC_KEY, () -> sealer.seal(sender, new byte[32], new byte[1], random));
  }

  @Test
  void envelopeSizeIsValidated() {
    assertThatThrownBy(() -> new SealedEnvelope(511)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SealedEnvelope(65024))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new SealedEnvelope(65023).capacity()).isEqualTo(65023 - 117);
  }
}
