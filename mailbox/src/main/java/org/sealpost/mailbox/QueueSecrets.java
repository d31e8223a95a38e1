package org.sealpost.mailbox;

/**
 * Per-queue secrets the relay supplies at creation: the two 32-byte symmetric keys it derived once
 * from the queue's X25519 exchange (protocol §5), so later commands need no public-key operation.
 * The store never interprets them; it keeps them encrypted at rest and returns them in every {@link
 * QueueRecord}.
 */
public final class QueueSecrets {
  public static final int KEY_LENGTH = 32;

  private final byte[] deliveryKey;
  private final byte[] macKey;

  public QueueSecrets(byte[] deliveryKey, byte[] macKey) {
    if (deliveryKey.length != KEY_LENGTH || macKey.length != KEY_LENGTH) {
      throw new IllegalArgumentException("queue secrets are two " + KEY_LENGTH + "-byte keys");
    }
    this.deliveryKey = deliveryKey.clone();
    this.macKey = macKey.clone();
  }

  /** A copy of the key that encrypts pushes to the recipient. */
  public byte[] deliveryKey() {
    return deliveryKey.clone();
  }

  /** A copy of the key that authenticates the recipient's commands. */
  public byte[] macKey() {
    return macKey.clone();
  }

  @Override
  public String toString() {
    return "QueueSecrets[redacted]";
  }
}
