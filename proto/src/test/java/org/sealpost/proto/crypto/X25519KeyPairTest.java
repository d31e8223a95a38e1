package org.sealpost.proto.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sealpost.proto.crypto.TestVectors.unhex;

import org.junit.jupiter.api.Test;

class X25519KeyPairTest {
  private static final byte[] ALICE =
      unhex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
  private static final byte[] BOB =
      unhex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");

  @Test
  void reproducesRfc7748Section61() throws CryptoException {
    X25519KeyPair alice = X25519KeyPair.fromPrivateKey(ALICE);
    X25519KeyPair bob = X25519KeyPair.fromPrivateKey(BOB);
    assertThat(alice.publicKey())
        .isEqualTo(unhex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"));
    assertThat(bob.publicKey())
        .isEqualTo(unhex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"));
    byte[] expected = unhex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
    assertThat(alice.agree(bob.publicKey())).isEqualTo(expected);
    assertThat(bob.agree(alice.publicKey())).isEqualTo(expected);
  }

  @Test
  void generateDrawsThirtyTwoBytesAndKeepsThemAsThePrivateKey() {
    byte[] seed = TestVectors.seed("x25519 generate", 32);
    X25519KeyPair pair = X25519KeyPair.generate(new FixedRandom(seed));
    assertThat(pair.privateKey()).isEqualTo(seed);
    assertThat(pair.publicKey()).isEqualTo(X25519KeyPair.fromPrivateKey(seed).publicKey());
  }

  @Test
  void rejectsLowOrderPointsAndWrongLengthsAsInvalidPublicKey() {
    X25519KeyPair alice = X25519KeyPair.fromPrivateKey(ALICE);
    for (String bad :
        new String[] {
          "00".repeat(32),
          "01" + "00".repeat(31),
          "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
          "09" + "00".repeat(30),
          "09" + "00".repeat(32)
        }) {
      assertThatThrownBy(() -> alice.agree(unhex(bad)))
          .isInstanceOfSatisfying(
              CryptoException.class,
              e -> assertThat(e.reason()).isEqualTo(CryptoException.Reason.INVALID_PUBLIC_KEY));
    }
  }

  @Test
  void destroyZeroesThePrivateKeyAndRefusesFurtherUse() {
    byte[] priv = ALICE.clone();
    X25519KeyPair pair = X25519KeyPair.fromPrivateKey(priv);
    pair.destroy();
    assertThat(pair.isDestroyed()).isTrue();
    assertThatThrownBy(pair::privateKey).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> pair.agree(new byte[32])).isInstanceOf(IllegalStateException.class);
    // fromPrivateKey copied its argument: destroying the pair leaves the caller's array alone.
    assertThat(priv).isEqualTo(ALICE);
  }
}
