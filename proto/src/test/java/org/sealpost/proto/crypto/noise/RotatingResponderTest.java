package org.sealpost.proto.crypto.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sealpost.proto.crypto.X25519KeyPair;

/** issue 12: message 1 read under a relay's current and successor keys (protocol §4.2.1). */
class RotatingResponderTest {
  private static final int B = 1024;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final X25519KeyPair current = X25519KeyPair.generate(RANDOM::nextBytes);
  private final X25519KeyPair successor = X25519KeyPair.generate(RANDOM::nextBytes);

  private static byte[] payload(int fill) {
    byte[] p = new byte[B - 48];
    Arrays.fill(p, (byte) fill);
    return p;
  }

  /** A full handshake of a client that pinned {@code pinned}, through the rotating responder. */
  private RotatingResponder.Accepted handshake(X25519KeyPair pinned, List<X25519KeyPair> served) {
    NoiseInitiator client =
        new NoiseInitiator(pinned.publicKey(), B, NoiseSuite.PRODUCTION, RANDOM);
    byte[] message1 = client.writeHandshake1(payload(7));
    RotatingResponder.Accepted accepted =
        RotatingResponder.read(served, message1, B, NoiseSuite.PRODUCTION, RANDOM);
    if (accepted != null) {
      assertThat(accepted.payload()).isEqualTo(payload(7));
      client.readHandshake2(accepted.responder().writeHandshake2(payload(9)));
      assertThat(client.transport().handshakeHash())
          .isEqualTo(accepted.responder().transport().handshakeHash());
    }
    return accepted;
  }

  @Test
  void aClientOfEitherKeyCompletesWithTheResponderOfItsKey() {
    assertThat(handshake(current, List.of(current, successor)).keyIndex()).isZero();
    assertThat(handshake(successor, List.of(current, successor)).keyIndex()).isEqualTo(1);
    assertThat(handshake(current, List.of(current)).keyIndex()).isZero();
  }

  @Test
  void aClientOfAnyOtherKeyIsReadByNone() {
    X25519KeyPair stranger = X25519KeyPair.generate(RANDOM::nextBytes);
    assertThat(handshake(stranger, List.of(current, successor))).isNull();
    assertThat(handshake(successor, List.of(current))).isNull(); // after retirement the other way
  }

  @Test
  void aMessageOfTheWrongSizeIsReadByNoneAndNoKeysIsABug() {
    assertThat(
            RotatingResponder.read(
                List.of(current, successor), new byte[B - 1], B, NoiseSuite.PRODUCTION, RANDOM))
        .isNull();
    assertThatThrownBy(
            () -> RotatingResponder.read(List.of(), new byte[B], B, NoiseSuite.PRODUCTION, RANDOM))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
