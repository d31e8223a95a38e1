package org.sealpost.proto.crypto.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.sealpost.proto.crypto.X25519KeyPair;

/** The generic core: protocol names, cipher states, nonces, rekey and every pattern. */
class NoiseCoreTest {
  private final SecureRandom random = new SecureRandom();

  private static void assertReason(ThrowingCallable call, NoiseException.Reason reason) {
    assertThatThrownBy(call)
        .isInstanceOf(NoiseException.class)
        .extracting(e -> ((NoiseException) e).reason())
        .isEqualTo(reason);
  }

  @Test
  void protocolNamesParseIntoTheirComponents() {
    NoiseProtocol p = NoiseProtocol.parse("Noise_NK_25519_AESGCM_SHA256");
    assertThat(p.pattern()).isEqualTo(HandshakePattern.NK);
    assertThat(p.cipher()).isEqualTo(NoiseCipher.AESGCM);
    assertThat(p.hash()).isEqualTo(NoiseHash.SHA256);
    assertThat(p.name()).isEqualTo("Noise_NK_25519_AESGCM_SHA256");
    assertThat(NoiseProtocol.parse("Noise_XX_25519_ChaChaPoly_BLAKE2b").hash())
        .isEqualTo(NoiseHash.BLAKE2B);
    assertThat(NoiseSuite.PRODUCTION.protocolName()).isEqualTo("Noise_NK_25519_AESGCM_SHA256");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Noise_NK_448_AESGCM_SHA256",
        "Noise_NK_25519_AESGCM_SHA384",
        "Noise_NK_25519_Twofish_SHA256",
        "Noise_NKpsk0_25519_AESGCM_SHA256",
        "Noise_NK_25519_AESGCM",
        "Noise_NK_25519_AESGCM_SHA256_",
        "noise_NK_25519_AESGCM_SHA256",
        ""
      })
  void unknownOrMalformedProtocolNamesAreUnsupported(String name) {
    assertReason(() -> NoiseProtocol.parse(name), NoiseException.Reason.UNSUPPORTED_PROTOCOL);
  }

  @Test
  void sealpostSuitesMustUsePatternNk() {
    assertReason(
        () -> NoiseSuite.parse("Noise_XX_25519_AESGCM_SHA256"),
        NoiseException.Reason.UNSUPPORTED_PROTOCOL);
  }

  private static CipherState keyed(NoiseCipher c, byte[] key) {
    CipherState cs = new CipherState(c);
    cs.initializeKey(key);
    return cs;
  }

  @ParameterizedTest
  @EnumSource(NoiseCipher.class)
  void theNonceBeforeTheReservedMaximumIsTheLastOneUsable(NoiseCipher c) {
    byte[] key = new byte[32];
    random.nextBytes(key);
    CipherState tx = keyed(c, key);
    CipherState rx = keyed(c, key);
    tx.setNonce(-2L); // 2^64 - 2
    rx.setNonce(-2L);
    byte[] ct = new byte[20];
    tx.encryptWithAd(new byte[0], new byte[4], 0, 4, ct, 0);
    rx.decryptWithAd(new byte[0], ct, 0, 20, new byte[4], 0);
    assertThat(tx.nonce()).isEqualTo(-1L);
    assertReason(
        () -> tx.encryptWithAd(new byte[0], new byte[4], 0, 4, new byte[20], 0),
        NoiseException.Reason.NONCE_EXHAUSTED);
    assertReason(
        () -> rx.decryptWithAd(new byte[0], ct, 0, 20, new byte[4], 0),
        NoiseException.Reason.NONCE_EXHAUSTED);
  }

  @Test
  void aesGcmNoncesAreBigEndianAndChaChaNoncesLittleEndian() throws Exception {
    byte[] key = new byte[32];
    random.nextBytes(key);
    byte[] pt = "nonce layout".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    long n = 0x0102030405060708L;
    byte[] be = {0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8};
    byte[] le = {0, 0, 0, 0, 8, 7, 6, 5, 4, 3, 2, 1};

    CipherState gcm = keyed(NoiseCipher.AESGCM, key);
    gcm.setNonce(n);
    byte[] ours = new byte[pt.length + 16];
    gcm.encryptWithAd(new byte[] {9}, pt, 0, pt.length, ours, 0);
    Cipher jdk = Cipher.getInstance("AES/GCM/NoPadding");
    jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, be));
    jdk.updateAAD(new byte[] {9});
    assertThat(ours).isEqualTo(jdk.doFinal(pt));

    CipherState chacha = keyed(NoiseCipher.CHACHAPOLY, key);
    chacha.setNonce(n);
    chacha.encryptWithAd(new byte[] {9}, pt, 0, pt.length, ours, 0);
    Cipher jdk2 = Cipher.getInstance("ChaCha20-Poly1305");
    jdk2.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(le));
    jdk2.updateAAD(new byte[] {9});
    assertThat(ours).isEqualTo(jdk2.doFinal(pt));
  }

  @ParameterizedTest
  @EnumSource(NoiseCipher.class)
  void rekeyDerivesTheKeyFromTheReservedNonceAndKeepsBothSidesInStep(NoiseCipher c)
      throws Exception {
    byte[] key = new byte[32];
    random.nextBytes(key);
    CipherState tx = keyed(c, key);
    CipherState rx = keyed(c, key);
    tx.setNonce(5);
    tx.rekey();
    rx.rekey();
    assertThat(tx.nonce()).isEqualTo(5);

    byte[] maxNonce = {0, 0, 0, 0, -1, -1, -1, -1, -1, -1, -1, -1};
    Cipher jdk = Cipher.getInstance(c.transformation());
    jdk.init(
        Cipher.ENCRYPT_MODE,
        new SecretKeySpec(key, c.keyAlgorithm()),
        c == NoiseCipher.AESGCM
            ? new GCMParameterSpec(128, maxNonce)
            : new IvParameterSpec(maxNonce));
    byte[] expected = Arrays.copyOf(jdk.doFinal(new byte[32]), 32);
    assertThat(tx.keyBytes()).isEqualTo(expected).isEqualTo(rx.keyBytes());

    byte[] ct = new byte[19];
    tx.encryptWithAd(new byte[0], new byte[3], 0, 3, ct, 0);
    rx.setNonce(5);
    rx.decryptWithAd(new byte[0], ct, 0, 19, new byte[3], 0);
  }

  @Test
  void withoutAKeyCipherStatesPassDataThrough() {
    CipherState cs = new CipherState(NoiseCipher.AESGCM);
    byte[] out = new byte[3];
    assertThat(cs.encryptWithAd(new byte[0], new byte[] {1, 2, 3}, 0, 3, out, 0)).isEqualTo(3);
    assertThat(out).containsExactly(1, 2, 3);
    assertReason(cs::rekey, NoiseException.Reason.BAD_STATE);
  }

  @ParameterizedTest
  @EnumSource(NoiseCipher.class)
  void aFailedDecryptionLeavesTheNonceUnchangedAndTheSameNonceCanBeRetried(NoiseCipher c) {
    byte[] key = new byte[32];
    CipherState tx = keyed(c, key);
    CipherState rx = keyed(c, key);
    byte[] ct = new byte[18];
    tx.encryptWithAd(new byte[0], new byte[2], 0, 2, ct, 0);
    ct[0] ^= 1;
    assertReason(
        () -> rx.decryptWithAd(new byte[0], ct, 0, 18, new byte[2], 0),
        NoiseException.Reason.DECRYPT_FAILED);
    assertThat(rx.nonce()).isZero();
    ct[0] ^= 1;
    rx.decryptWithAd(new byte[0], ct, 0, 18, new byte[2], 0);
    assertThat(rx.nonce()).isEqualTo(1);
    // the same key and nonce twice in a row (the JDK's ChaCha20 refuses that without re-arming)
    rx.setNonce(0);
    rx.decryptWithAd(new byte[0], ct, 0, 18, new byte[2], 0);
    assertThat(rx.nonce()).isEqualTo(1);
    // and again after re-installing a key with the same bytes
    rx.initializeKey(key.clone());
    rx.decryptWithAd(new byte[0], ct, 0, 18, new byte[2], 0);
    assertThat(rx.nonce()).isEqualTo(1);
  }

  @Test
  void lowOrderPeerKeysAreRejectedAsBadKeys() {
    X25519KeyPair kp = X25519KeyPair.generate(random::nextBytes);
    assertReason(
        () -> HandshakeState.dh(kp, new byte[32], new byte[32]), NoiseException.Reason.BAD_KEY);
    byte[] one = new byte[32];
    one[0] = 1; // the point u = 1 has order 4
    assertReason(() -> HandshakeState.dh(kp, one, new byte[32]), NoiseException.Reason.BAD_KEY);
  }

  /** Every pattern in the table completes between our own initiator and responder. */
  @ParameterizedTest
  @EnumSource(HandshakePattern.class)
  void everyPatternInTheTableCompletesWithAgreeingKeys(HandshakePattern pattern) {
    NoiseProtocol p = new NoiseProtocol(pattern, NoiseCipher.AESGCM, NoiseHash.BLAKE2S);
    X25519KeyPair is = X25519KeyPair.generate(random::nextBytes);
    X25519KeyPair rs = X25519KeyPair.generate(random::nextBytes);
    boolean initiatorStaticPreKnown =
        pattern.initiatorPremessage().contains(HandshakePattern.Token.S);
    boolean responderStaticPreKnown =
        pattern.responderPremessage().contains(HandshakePattern.Token.S);
    HandshakeState init =
        HandshakeState.initialize(
            p,
            true,
            new byte[] {1},
            is,
            null,
            responderStaticPreKnown ? rs.publicKey() : null,
            null,
            random);
    HandshakeState resp =
        HandshakeState.initialize(
            p,
            false,
            new byte[] {1},
            rs,
            null,
            initiatorStaticPreKnown ? is.publicKey() : null,
            null,
            random);
    int i = 0;
    while (!init.isComplete() || !resp.isComplete()) {
      HandshakeState w = i % 2 == 0 ? init : resp;
      HandshakeState r = i % 2 == 0 ? resp : init;
      byte[] payload = {(byte) i, 42};
      byte[] msg = w.writeMessage(payload);
      assertThat(r.readMessage(msg)).isEqualTo(payload);
      i++;
    }
    assertThat(init.handshakeHash()).isEqualTo(resp.handshakeHash());
    byte[] ct = new byte[21];
    init.sendCipher().encryptWithAd(new byte[0], new byte[5], 0, 5, ct, 0);
    resp.receiveCipher().decryptWithAd(new byte[0], ct, 0, 21, new byte[5], 0);
    if (pattern.initiatorNeedsStatic()) {
      assertThat(resp.remoteStaticKey()).isEqualTo(is.publicKey());
    }
    if (pattern.responderNeedsStatic()) {
      assertThat(init.remoteStaticKey()).isEqualTo(rs.publicKey());
    } else {
      assertThat(init.remoteStaticKey()).isNull();
    }
  }

  @Test
  void aPatternNeedingAStaticKeyRefusesToStartWithoutOne() {
    assertReason(
        () ->
            HandshakeState.initialize(
                NoiseProtocol.parse("Noise_NK_25519_AESGCM_SHA256"),
                false,
                new byte[0],
                null,
                null,
                null,
                null,
                random),
        NoiseException.Reason.BAD_KEY);
    assertReason(
        () ->
            HandshakeState.initialize(
                NoiseProtocol.parse("Noise_NK_25519_AESGCM_SHA256"),
                true,
                new byte[0],
                null,
                null,
                null,
                null,
                random),
        NoiseException.Reason.BAD_KEY);
  }
}
