package org.sealpost.relay.crypto;

import java.util.Arrays;

/**
 * The relay's long-term X25519 key pair, the Noise NK static key that clients pin through the relay
 * address. Raw 32-byte keys (RFC 7748); accessors return copies.
 */
public final class RelayStaticKey {
  private final byte[] privateKey;
  private final byte[] publicKey;

  RelayStaticKey(byte[] privateKey, byte[] publicKey) {
    if (privateKey.length != 32 || publicKey.length != 32) {
      throw new IllegalArgumentException("X25519 keys are 32 bytes");
    }
    this.privateKey = privateKey;
    this.publicKey = publicKey;
  }

  /** A copy of the 32-byte private key; zero it when done. */
  public byte[] privateKey() {
    return privateKey.clone();
  }

  /** A copy of the 32-byte public key. */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** Zeroes the private key held by this object. */
  public void destroy() {
    Arrays.fill(privateKey, (byte) 0);
  }

  @Override
  public String toString() {
    return "RelayStaticKey[redacted]";
  }
}
