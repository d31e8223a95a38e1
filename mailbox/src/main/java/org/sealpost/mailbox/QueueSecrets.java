package org.sealpost.mailbox;

/**
 * Opaque per-queue secrets the relay supplies at creation: its per-queue X25519 private key and the
 * recipient's X25519 public key, 32 bytes each. The store never interprets them; it keeps them
 * encrypted at rest and returns them in every {@link QueueRecord}.
 */
public final class QueueSecrets {
  public static final int KEY_LENGTH = 32;

  private final byte[] relayPrivateKey;
  private final byte[] recipientPublicKey;

  public QueueSecrets(byte[] relayPrivateKey, byte[] recipientPublicKey) {
    if (relayPrivateKey.length != KEY_LENGTH || recipientPublicKey.length != KEY_LENGTH) {
      throw new IllegalArgumentException("queue secrets are two " + KEY_LENGTH + "-byte keys");
    }
    this.relayPrivateKey = relayPrivateKey.clone();
    this.recipientPublicKey = recipientPublicKey.clone();
  }

  /** A copy of the relay's per-queue private key. */
  public byte[] relayPrivateKey() {
    return relayPrivateKey.clone();
  }

  /** A copy of the recipient's public key. */
  public byte[] recipientPublicKey() {
    return recipientPublicKey.clone();
  }

  @Override
  public String toString() {
    return "QueueSecrets[redacted]";
  }
}
