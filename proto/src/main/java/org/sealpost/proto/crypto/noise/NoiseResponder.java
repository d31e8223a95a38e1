package org.sealpost.proto.crypto.noise;

import java.security.SecureRandom;
import java.util.Objects;
import org.sealpost.proto.crypto.X25519KeyPair;

/**
 * The relay side of a Sealpost Noise NK session (protocol.md §2).
 *
 * <pre>{@code
 * NoiseResponder relay = new NoiseResponder(staticKeyPair, b, NoiseSuite.PRODUCTION, random);
 * byte[] clientHello = relay.readHandshake1(msg1);   // B bytes in, B-48 bytes out
 * byte[] msg2 = relay.writeHandshake2(relayHello);   // B-48 bytes in, B bytes out
 * NoiseTransport t = relay.transport();
 * }</pre>
 *
 * <p>The static key pair is borrowed, not copied: it is shared between sessions and never destroyed
 * by a session, and once its owner destroys it every responder fails with {@link
 * NoiseException.Reason#BAD_STATE}.
 */
public final class NoiseResponder extends NoiseSession {

  /**
   * Prepares to answer one client handshake.
   *
   * @param staticKeyPair the relay's static key pair (borrowed for the handshake, never copied)
   * @param blockSize B, in [1024, 65535]
   * @param suite the cipher suite, normally {@link NoiseSuite#PRODUCTION}
   * @param random source of the ephemeral key
   * @throws NoiseException BAD_SIZE for a bad B
   */
  public NoiseResponder(
      X25519KeyPair staticKeyPair, int blockSize, NoiseSuite suite, SecureRandom random) {
    super(blockSize, newState(staticKeyPair, blockSize, suite, random));
  }

  private static HandshakeState newState(
      X25519KeyPair staticKeyPair, int blockSize, NoiseSuite suite, SecureRandom random) {
    Objects.requireNonNull(staticKeyPair, "staticKeyPair");
    Objects.requireNonNull(suite, "suite");
    Objects.requireNonNull(random, "random");
    checkBlockSize(blockSize);
    return HandshakeState.initialize(
        suite.protocol(), false, prologue(blockSize), staticKeyPair, null, null, null, random);
  }

  /**
   * Reads handshake message 1 from a client.
   *
   * @param message exactly B bytes
   * @return the B - 48 byte payload (a block plaintext carrying ClientHello)
   * @throws NoiseException BAD_SIZE, DECRYPT_FAILED, BAD_KEY or BAD_STATE
   */
  public byte[] readHandshake1(byte[] message) {
    return read(message);
  }

  /**
   * Writes handshake message 2: {@code e ‖ AEAD(payload)}.
   *
   * @param payload exactly B - 48 bytes (a block plaintext carrying RelayHello)
   * @return exactly B bytes
   * @throws NoiseException BAD_SIZE or BAD_STATE
   */
  public byte[] writeHandshake2(byte[] payload) {
    return write(payload);
  }
}
