package org.sealpost.proto.crypto.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sealpost.proto.crypto.X25519KeyPair;

class NoiseSessionTest {
  private static final int B = 1024;
  private final SecureRandom random = new SecureRandom();
  private final X25519KeyPair relayKey = X25519KeyPair.generate(random::nextBytes);

  private static byte[] filled(int len, int seed) {
    byte[] b = new byte[len];
    for (int i = 0; i < len; i++) {
      b[i] = (byte) (seed + i * 31);
    }
    return b;
  }

  private static void assertReason(ThrowingCallable call, NoiseException.Reason reason) {
    assertThatThrownBy(call)
        .isInstanceOf(NoiseException.class)
        .extracting(e -> ((NoiseException) e).reason())
        .isEqualTo(reason);
  }

  /** Runs a full handshake; returns {client, relay}. */
  private NoiseSession[] handshake(NoiseSuite suite, int b) {
    NoiseInitiator client = new NoiseInitiator(relayKey.publicKey(), b, suite, random);
    NoiseResponder relay = new NoiseResponder(relayKey, b, suite, random);
    byte[] hello = filled(b - 48, 1);
    byte[] msg1 = client.writeHandshake1(hello);
    assertThat(msg1).hasSize(b);
    assertThat(relay.readHandshake1(msg1)).isEqualTo(hello);
    byte[] relayHello = filled(b - 48, 2);
    byte[] msg2 = relay.writeHandshake2(relayHello);
    assertThat(msg2).hasSize(b);
    assertThat(client.readHandshake2(msg2)).isEqualTo(relayHello);
    return new NoiseSession[] {client, relay};
  }

  @ParameterizedTest
  @ValueSource(ints = {1024, 16376, 65535})
  void handshakeAndTransportRoundTripAtEveryBlockSize(int b) {
    NoiseSession[] s = handshake(NoiseSuite.PRODUCTION, b);
    NoiseTransport client = s[0].transport();
    NoiseTransport relay = s[1].transport();
    assertThat(client.handshakeHash()).hasSize(32).isEqualTo(relay.handshakeHash());
    for (int i = 0; i < 5; i++) {
      byte[] up = filled(b - 16, 10 + i);
      byte[] block = client.encrypt(up);
      assertThat(block).hasSize(b);
      assertThat(relay.decrypt(block)).isEqualTo(up);
      byte[] down = filled(b - 16, 50 + i);
      assertThat(client.decrypt(relay.encrypt(down))).isEqualTo(down);
    }
    assertThat(client.blocksSent()).isEqualTo(5);
    assertThat(relay.blocksReceived()).isEqualTo(5);
  }

  @Test
  void theInteropSuiteWorksAndExportsItsLongerHandshakeHash() {
    NoiseSuite suite = NoiseSuite.parse("Noise_NK_25519_ChaChaPoly_BLAKE2b");
    NoiseSession[] s = handshake(suite, B);
    byte[] pt = filled(B - 16, 3);
    assertThat(s[1].transport().decrypt(s[0].transport().encrypt(pt))).isEqualTo(pt);
    assertThat(s[0].transport().handshakeHash()).hasSize(64);
  }

  @Test
  void offsetAndByteBufferVariantsMatchTheArrayVariants() {
    NoiseSession[] s = handshake(NoiseSuite.PRODUCTION, B);
    NoiseTransport client = s[0].transport();
    NoiseTransport relay = s[1].transport();
    byte[] pt = filled(B - 16, 7);

    byte[] src = new byte[B + 10];
    System.arraycopy(pt, 0, src, 3, pt.length);
    byte[] dst = new byte[B + 20];
    client.encrypt(src, 3, dst, 5);
    byte[] back = new byte[B];
    relay.decrypt(dst, 5, back, 1);
    assertThat(Arrays.copyOfRange(back, 1, 1 + B - 16)).isEqualTo(pt);

    ByteBuffer in = ByteBuffer.allocateDirect(B - 16).put(pt).flip();
    ByteBuffer wire = ByteBuffer.allocateDirect(B);
    client.encrypt(in, wire);
    assertThat(in.remaining()).isZero();
    assertThat(wire.position()).isEqualTo(B);
    wire.flip();
    ByteBuffer out = ByteBuffer.allocate(B - 16);
    relay.decrypt(wire, out);
    assertThat(out.array()).isEqualTo(pt);
  }

  @Test
  void prologueIsSealpostLabelAndBigEndianBlockSize() {
    assertThat(NoiseSession.prologue(16376))
        .isEqualTo(
            new byte[] {'s', 'e', 'a', 'l', 'p', 'o', 's', 't', '/', '1', 0, 0, 0x3f, (byte) 0xf8});
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1023, 65536, -1})
  void blockSizeOutsideTheAllowedRangeIsRejected(int b) {
    assertReason(
        () -> new NoiseInitiator(relayKey.publicKey(), b, NoiseSuite.PRODUCTION, random),
        NoiseException.Reason.BAD_SIZE);
    assertReason(
        () -> new NoiseResponder(relayKey, b, NoiseSuite.PRODUCTION, random),
        NoiseException.Reason.BAD_SIZE);
  }

  @Test
  void relayKeyOfWrongLengthIsRejected() {
    assertReason(
        () -> new NoiseInitiator(new byte[31], B, NoiseSuite.PRODUCTION, random),
        NoiseException.Reason.BAD_KEY);
  }

  @Test
  void wrongPayloadSizesAreRejectedBeforeAnythingIsSent() {
    NoiseInitiator client =
        new NoiseInitiator(relayKey.publicKey(), B, NoiseSuite.PRODUCTION, random);
    assertReason(() -> client.writeHandshake1(new byte[B - 47]), NoiseException.Reason.BAD_SIZE);
    assertReason(() -> client.writeHandshake1(null), NoiseException.Reason.BAD_SIZE);
    // still usable: size errors on the write path do not destroy the session
    assertThat(client.writeHandshake1(new byte[B - 48])).hasSize(B);
  }

  @Test
  void aClientWithTheWrongRelayKeyFailsAtTheRelay() {
    NoiseInitiator client =
        new NoiseInitiator(
            X25519KeyPair.generate(random::nextBytes).publicKey(),
            B,
            NoiseSuite.PRODUCTION,
            random);
    NoiseResponder relay = new NoiseResponder(relayKey, B, NoiseSuite.PRODUCTION, random);
    byte[] msg1 = client.writeHandshake1(new byte[B - 48]);
    assertReason(() -> relay.readHandshake1(msg1), NoiseException.Reason.DECRYPT_FAILED);
    assertReason(() -> relay.writeHandshake2(new byte[B - 48]), NoiseException.Reason.BAD_STATE);
  }

  @Test
  void differentBlockSizesOrSuitesNeverHandshake() {
    NoiseInitiator client =
        new NoiseInitiator(relayKey.publicKey(), B, NoiseSuite.PRODUCTION, random);
    NoiseResponder relay =
        new NoiseResponder(
            relayKey, B, new NoiseSuite(NoiseCipher.AESGCM, NoiseHash.SHA512), random);
    assertReason(
        () -> relay.readHandshake1(client.writeHandshake1(new byte[B - 48])),
        NoiseException.Reason.DECRYPT_FAILED);
    NoiseResponder bigger = new NoiseResponder(relayKey, B + 1, NoiseSuite.PRODUCTION, random);
    NoiseInitiator client2 =
        new NoiseInitiator(relayKey.publicKey(), B, NoiseSuite.PRODUCTION, random);
    assertReason(
        () -> bigger.readHandshake1(client2.writeHandshake1(new byte[B - 48])),
        NoiseException.Reason.BAD_SIZE);
  }

  @Test
  void callsOutOfOrderAreBadState() {
    NoiseInitiator client =
        new NoiseInitiator(relayKey.publicKey(), B, NoiseSuite.PRODUCTION, random);
    assertReason(client::transport, NoiseException.Reason.BAD_STATE);
    assertReason(() -> client.readHandshake2(new byte[B]), NoiseException.Reason.BAD_STATE);
    NoiseResponder relay = new NoiseResponder(relayKey, B, NoiseSuite.PRODUCTION, random);
    assertReason(() -> relay.writeHandshake2(new byte[B - 48]), NoiseException.Reason.BAD_STATE);
  }

  @Test
  void aFailedDecryptionDestroysTheTransportAndZeroesTheOutput() {
    NoiseSession[] s = handshake(NoiseSuite.PRODUCTION, B);
    NoiseTransport client = s[0].transport();
    NoiseTransport relay = s[1].transport();
    byte[] block = client.encrypt(filled(B - 16, 9));
    block[100] ^= 0x10;
    byte[] out = new byte[B - 16];
    Arrays.fill(out, (byte) 0x55);
    assertReason(() -> relay.decrypt(block, 0, out, 0), NoiseException.Reason.DECRYPT_FAILED);
    assertThat(out).containsOnly(0);
    assertThat(relay.isDestroyed()).isTrue();
    assertReason(() -> relay.encrypt(new byte[B - 16]), NoiseException.Reason.BAD_STATE);
    assertReason(relay::handshakeHash, NoiseException.Reason.BAD_STATE);
  }

  @Test
  void aReplayedBlockFailsToDecrypt() {
    NoiseSession[] s = handshake(NoiseSuite.PRODUCTION, B);
    byte[] first = s[0].transport().encrypt(new byte[B - 16]);
    assertThat(s[1].transport().decrypt(first)).hasSize(B - 16);
    assertReason(() -> s[1].transport().decrypt(first), NoiseException.Reason.DECRYPT_FAILED);
  }

  @Test
  void aReorderedBlockFailsToDecrypt() {
    NoiseSession[] s = handshake(NoiseSuite.PRODUCTION, B);
    s[0].transport().encrypt(new byte[B - 16]);
    byte[] second = s[0].transport().encrypt(new byte[B - 16]);
    assertReason(() -> s[1].transport().decrypt(second), NoiseException.Reason.DECRYPT_FAILED);
  }

  @Test
  void wrongSizesOnTheTransportAreBadSize() {
    NoiseSession[] s = handshake(NoiseSuite.PRODUCTION, B);
    NoiseTransport client = s[0].transport();
    assertReason(() -> client.encrypt(new byte[B - 15]), NoiseException.Reason.BAD_SIZE);
    assertReason(
        () -> client.encrypt(new byte[B - 16], 1, new byte[B], 0), NoiseException.Reason.BAD_SIZE);
    assertReason(
        () -> client.encrypt(ByteBuffer.allocate(B - 17), ByteBuffer.allocate(B)),
        NoiseException.Reason.BAD_SIZE);
    assertReason(
        () ->
            client.encrypt(ByteBuffer.allocate(B - 16), ByteBuffer.allocate(B).asReadOnlyBuffer()),
        NoiseException.Reason.BAD_SIZE);
    assertReason(() -> s[1].transport().decrypt(new byte[B - 1]), NoiseException.Reason.BAD_SIZE);
  }

  @Test
  void destroyZeroesTheSessionAndLaterCallsAreBadState() {
    NoiseSession[] s = handshake(NoiseSuite.PRODUCTION, B);
    NoiseTransport t = s[0].transport();
    s[0].destroy();
    assertThat(t.isDestroyed()).isTrue();
    assertReason(s[0]::transport, NoiseException.Reason.BAD_STATE);
    assertReason(() -> t.encrypt(new byte[B - 16]), NoiseException.Reason.BAD_STATE);
  }

  @Test
  void theStaticKeyPairSurvivesSessionsThatFailOrAreDestroyed() {
    NoiseResponder relay = new NoiseResponder(relayKey, B, NoiseSuite.PRODUCTION, random);
    assertReason(() -> relay.readHandshake1(new byte[B]), NoiseException.Reason.BAD_KEY);
    relay.destroy();
    handshake(NoiseSuite.PRODUCTION, B);
  }

  @Test
  void theResponderBorrowsTheStaticKeyPairSoItsOwnersDestroyStopsHandshakes() {
    X25519KeyPair key = X25519KeyPair.generate(random::nextBytes);
    NoiseInitiator client = new NoiseInitiator(key.publicKey(), B, NoiseSuite.PRODUCTION, random);
    byte[] msg1 = client.writeHandshake1(filled(B - 48, 3));
    NoiseResponder relay = new NoiseResponder(key, B, NoiseSuite.PRODUCTION, random);

    key.destroy();

    // a responder holding a copy of the private key would still answer
    assertReason(() -> relay.readHandshake1(msg1), NoiseException.Reason.BAD_STATE);
  }
}
