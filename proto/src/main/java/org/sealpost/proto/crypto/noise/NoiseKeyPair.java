package org.sealpost.proto.crypto.noise;

import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * A Curve25519 key pair with raw 32-byte keys (RFC 7748). Any 32 bytes are a valid private key:
 * X25519 clamps the scalar itself, so other implementations derive the same public key from them.
 * {@link #destroy()} zeroes the private key. Immutable until destroyed; safe to share between
 * threads (a relay shares its static key pair between all sessions).
 */
public final class NoiseKeyPair {
  /** Length of private keys, public keys and DH outputs. */
  public static final int KEY_LENGTH = 32;

  private final byte[] privateKey;
  private final byte[] publicKey;
  private volatile boolean destroyed;

  private NoiseKeyPair(byte[] privateKey) {
    this.privateKey = privateKey;
    this.publicKey = new byte[KEY_LENGTH];
    X25519.generatePublicKey(privateKey, 0, publicKey, 0);
  }

  /** Generates a key pair from 32 bytes of {@code random}. */
  public static NoiseKeyPair generate(SecureRandom random) {
    byte[] k = new byte[KEY_LENGTH];
    random.nextBytes(k);
    return new NoiseKeyPair(k);
  }

  /**
   * Rebuilds a key pair from a private key (copied).
   *
   * @throws NoiseException with {@link NoiseException.Reason#BAD_KEY} if it is not 32 bytes
   */
  public static NoiseKeyPair fromPrivateKey(byte[] privateKey) {
    if (privateKey == null || privateKey.length != KEY_LENGTH) {
      throw new NoiseException(NoiseException.Reason.BAD_KEY, "private keys are 32 bytes");
    }
    return new NoiseKeyPair(privateKey.clone());
  }

  /** The public key (a copy). */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** The private key (a copy, for persisting it); the caller zeroes it when done. */
  public byte[] privateKey() {
    checkNotDestroyed();
    return privateKey.clone();
  }

  /** Zeroes the private key; later uses fail with {@link NoiseException.Reason#BAD_STATE}. */
  public void destroy() {
    Arrays.fill(privateKey, (byte) 0);
    destroyed = true;
  }

  byte[] publicKeyRef() {
    return publicKey;
  }

  /**
   * DH(this, peer) into {@code out}. Rejects a peer key whose result is all zero (a low-order
   * point, RFC 7748 §6.1): such a "shared secret" is known to everyone.
   */
  void dh(byte[] peerPublicKey, byte[] out) {
    checkNotDestroyed();
    if (peerPublicKey == null || peerPublicKey.length != KEY_LENGTH) {
      throw new NoiseException(NoiseException.Reason.BAD_KEY, "public keys are 32 bytes");
    }
    if (!X25519.calculateAgreement(privateKey, 0, peerPublicKey, 0, out, 0)) {
      throw new NoiseException(
          NoiseException.Reason.BAD_KEY, "Diffie-Hellman result is all zero (low-order point)");
    }
  }

  private void checkNotDestroyed() {
    if (destroyed) {
      throw new NoiseException(NoiseException.Reason.BAD_STATE, "key pair was destroyed");
    }
  }
}
