package org.sealpost.proto.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sealpost.proto.crypto.CryptoAssertions.assertFails;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.sealpost.proto.crypto.CryptoException.Reason;

class ForwardSealTest {
  private final RandomSource random = RandomSource.secure();
  private final ForwardSeal seal = new ForwardSeal(SealedEnvelope.DEFAULT_SIZE);
  private final X25519KeyPair relay = X25519KeyPair.generate(random);
  private final Clock clock = Clock.fixed(Instant.parse("2026-11-23T10:00:59Z"), ZoneOffset.UTC);

  @Test
  void destinationOpensTheRequestAndTheClientOpensTheReply() throws CryptoException {
    byte[] frame = random.bytes(500);
    ForwardSeal.SealedRequest sealed = seal.seal(relay.publicKey(), frame, clock, random);
    assertThat(sealed.bytes()).hasSize(15847 + 176).hasSize(seal.requestSize());

    ForwardSeal.OpenedRequest opened = seal.open(relay, sealed.bytes());
    assertThat(opened.innerFrame()).isEqualTo(frame);
    assertThat(opened.timeMinutes())
        .isEqualTo(Instant.parse("2026-11-23T10:00:00Z").getEpochSecond() / 60);
    assertThat(opened.replyKey()).isEqualTo(sealed.replyKey());
    assertThat(opened.ephemeralPublicKey()).isEqualTo(java.util.Arrays.copyOf(sealed.bytes(), 32));

    byte[] reply = random.bytes(40);
    byte[] sealedReply = ForwardSeal.sealReply(opened.replyKey(), reply);
    assertThat(sealedReply).hasSize(272);
    assertThat(ForwardSeal.openReply(sealed.replyKey(), sealedReply)).isEqualTo(reply);
  }

  @Test
  void requestsAreAlwaysTheSameSize() throws CryptoException {
    assertThat(seal.seal(relay.publicKey(), new byte[0], clock, random).bytes())
        .hasSize(seal.requestSize());
    assertThat(
            seal.seal(relay.publicKey(), new byte[seal.requestCapacity()], clock, random).bytes())
        .hasSize(seal.requestSize());
    assertThat(seal.requestCapacity()).isEqualTo(15847 + 122);
  }

  @Test
  void oversizedFramesAreRefusedNamingTheCapacity() {
    assertFails(
        Reason.TOO_LARGE,
        () -> seal.seal(relay.publicKey(), new byte[seal.requestCapacity() + 1], clock, random));
    assertFails(
        Reason.TOO_LARGE,
        () -> ForwardSeal.sealReply(random.bytes(32), new byte[ForwardSeal.REPLY_CAPACITY + 1]));
  }

  @Test
  void onlyTheAddressedRelayCanOpen() throws CryptoException {
    byte[] sealed = seal.seal(relay.publicKey(), new byte[10], clock, random).bytes();
    assertFails(
        Reason.AUTHENTICATION_FAILED, () -> seal.open(X25519KeyPair.generate(random), sealed));
  }

  @Test
  void requestKeyCannotOpenAReplyAndViceVersa() throws CryptoException {
    ForwardSeal.SealedRequest sealed = seal.seal(relay.publicKey(), new byte[10], clock, random);
    byte[] otherKeyReply = ForwardSeal.sealReply(random.bytes(32), new byte[1]);
    assertFails(
        Reason.AUTHENTICATION_FAILED,
        () -> ForwardSeal.openReply(sealed.replyKey(), otherKeyReply));
    assertFails(Reason.WRONG_SIZE, () -> ForwardSeal.openReply(sealed.replyKey(), new byte[271]));
  }
}
