package org.sealpost.proto.crypto.noise;

import java.security.SecureRandom;
import java.util.Objects;
import org.sealpost.proto.crypto.X25519KeyPair;

/**
 * The client side of a Sealpost Noise NK session (protocol.md §2).
 *
 * <pre>{@code
 * NoiseInitiator client = new NoiseInitiator(relayKey, b, NoiseSuite.PRODUCTION, random);
 * byte[] msg1 = client.writeHandshake1(clientHelloBlock);   // B-48 bytes in, B bytes out
 * byte[] relayHello = client.readHandshake2(msg2);          // B bytes in, B-48 bytes out
 * NoiseTransport t = client.transport();
 * }</pre>
 */
public final class NoiseInitiator extends NoiseSession {

  /**
   * Starts a handshake with a relay.
   *
   * @param relayStaticPublicKey the relay's 32-byte static key from its address
   * @param blockSize B, in [1024, 65535]
   * @param suite the cipher suite, normally {@link NoiseSuite#PRODUCTION}
   * @param random source of the ephemeral key
   * @throws NoiseException BAD_SIZE for a bad B, BAD_KEY for a key that is not 32 bytes
   */
  public NoiseInitiator(
      byte[] relayStaticPublicKey, int blockSize, NoiseSuite suite, SecureRandom random) {
    super(blockSize, newState(relayStaticPublicKey, blockSize, suite, random));
  }

  private static HandshakeState newState(
      byte[] relayStaticPublicKey, int blockSize, NoiseSuite suite, SecureRandom random) {
    Objects.requireNonNull(suite, "suite");
    Objects.requireNonNull(random, "random");
    checkBlockSize(blockSize);
    if (relayStaticPublicKey == null || relayStaticPublicKey.length != X25519KeyPair.KEY_LENGTH) {
      throw new NoiseException(NoiseException.Reason.BAD_KEY, "relay static keys are 32 bytes");
    }
    return HandshakeState.initialize(
        suite.protocol(),
        true,
        prologue(blockSize),
        null,
        null,
        relayStaticPublicKey,
        null,
        random);
  }

  /**
   * Writes handshake message 1: {@code e ‖ AEAD(payload)}.
   *
   * @param payload exactly B - 48 bytes (a block plaintext carrying ClientHello)
   * @return exactly B bytes
   * @throws NoiseException BAD_SIZE or BAD_STATE
   */
  public byte[] writeHandshake1(byte[] payload) {
    return write(payload);
  }

  /**
   * Reads handshake message 2 from the relay.
   *
   * @param message exactly B bytes
   * @return the B - 48 byte payload (a block plaintext carrying RelayHello)
   * @throws NoiseException BAD_SIZE, DECRYPT_FAILED, BAD_KEY or BAD_STATE
   */
  public byte[] readHandshake2(byte[] message) {
    return read(message);
  }
}
