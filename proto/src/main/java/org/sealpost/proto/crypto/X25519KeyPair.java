package org.sealpost.proto.crypto;

import java.util.Arrays;
import javax.security.auth.Destroyable;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * An X25519 key pair (RFC 7748) with raw 32-byte keys: the one key type of Sealpost, for the Noise
 * static and ephemeral keys, the relay's static key and the per-queue and sealing keys.
 *
 * <p>The private key is 32 random bytes, stored as given; the scalar is clamped by X25519 itself
 * (RFC 7748 §5), so any 32 bytes are a valid private key and other implementations derive the same
 * public key and shared secrets from them. {@link #destroy()} zeroes the private key.
 *
 * <p>The private bytes live in this object only: pass the object around (a relay shares its static
 * key pair between all sessions) rather than copies of {@link #privateKey()}, so that one {@code
 * destroy()} wipes the key from the heap. Immutable until destroyed; safe to share between threads.
 */
public final class X25519KeyPair implements Destroyable {
  /** Length of private keys, public keys and shared secrets. */
  public static final int KEY_LENGTH = 32;

  private final byte[] privateKey;
  private final byte[] publicKey;
  private volatile boolean destroyed;

  private X25519KeyPair(byte[] privateKey) {
    this.privateKey = privateKey;
    this.publicKey = new byte[KEY_LENGTH];
    X25519.scalarMultBase(privateKey, 0, publicKey, 0);
  }

  /** Generates a fresh key pair from {@code random}. */
  public static X25519KeyPair generate(RandomSource random) {
    return new X25519KeyPair(random.bytes(KEY_LENGTH));
  }

  /**
   * Rebuilds a key pair from its 32-byte private key (copied).
   *
   * @throws IllegalArgumentException if the key is not 32 bytes
   */
  public static X25519KeyPair fromPrivateKey(byte[] privateKey) {
    Bytes.requireLength(privateKey, KEY_LENGTH, "X25519 private key");
    return new X25519KeyPair(privateKey.clone());
  }

  /** The 32-byte public key (a copy). */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /**
   * The 32-byte private key (a copy), for persisting it. The caller zeroes the copy when done.
   *
   * @throws IllegalStateException if the key pair was destroyed
   */
  public byte[] privateKey() {
    checkNotDestroyed();
    return privateKey.clone();
  }

  /**
   * X25519 with a peer's public key. Rejects keys of the wrong length and low-order points, whose
   * shared secret is all zero (RFC 7748 §6.1): such a "secret" is known to everyone.
   *
   * @return the 32-byte shared secret; the caller zeroes it when done
   * @throws CryptoException with {@link CryptoException.Reason#INVALID_PUBLIC_KEY}
   */
  public byte[] agree(byte[] peerPublicKey) throws CryptoException {
    checkNotDestroyed();
    if (peerPublicKey == null || peerPublicKey.length != KEY_LENGTH) {
      throw new CryptoException(
          CryptoException.Reason.INVALID_PUBLIC_KEY, "an X25519 public key must be 32 bytes");
    }
    byte[] shared = new byte[KEY_LENGTH];
    if (!X25519.calculateAgreement(privateKey, 0, peerPublicKey, 0, shared, 0)) {
      throw new CryptoException(
          CryptoException.Reason.INVALID_PUBLIC_KEY,
          "X25519 public key is a low-order point (all-zero shared secret)");
    }
    return shared;
  }

  /**
   * X25519 with a peer's public key into {@code out[0, 32)}, without allocating (the Noise
   * handshake's DH). Unlike {@link #agree}, a low-order point is reported by the result rather than
   * an exception, so that the caller throws its own.
   *
   * @return false if the shared secret is all zero (a low-order point, RFC 7748 §6.1)
   * @throws IllegalArgumentException if {@code peerPublicKey} or {@code out} is not 32 bytes
   * @throws IllegalStateException if the key pair was destroyed
   */
  public boolean agreeInto(byte[] peerPublicKey, byte[] out) {
    checkNotDestroyed();
    if (peerPublicKey == null || peerPublicKey.length != KEY_LENGTH) {
      throw new IllegalArgumentException("an X25519 public key must be 32 bytes");
    }
    if (out == null || out.length != KEY_LENGTH) {
      throw new IllegalArgumentException("an X25519 shared secret is 32 bytes");
    }
    return X25519.calculateAgreement(privateKey, 0, peerPublicKey, 0, out, 0);
  }

  /** Zeroes the private key; later calls needing it throw {@link IllegalStateException}. */
  @Override
  public void destroy() {
    Arrays.fill(privateKey, (byte) 0);
    destroyed = true;
  }

  @Override
  public boolean isDestroyed() {
    return destroyed;
  }

  @Override
  public String toString() {
    return "X25519KeyPair[redacted]";
  }

  private void checkNotDestroyed() {
    if (destroyed) {
      throw new IllegalStateException("X25519 key pair was destroyed");
    }
  }
}
