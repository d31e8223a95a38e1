package org.sealpost.mailbox;

import java.time.Instant;
import java.util.Optional;

/**
 * A queue as the store keeps it. Dates are rounded down to the hour (coarse time only at rest).
 * Accessors return copies; {@link #toString()} is redacted.
 */
public final class QueueRecord {
  /** Length of recipient and sender IDs. */
  public static final int ID_LENGTH = 32;

  /** Length of a send token. */
  public static final int SEND_TOKEN_LENGTH = 16;

  private final QueueId queueId;
  private final byte[] recipientId;
  private final byte[] senderId;
  private final QueueSecrets secrets;
  private final byte[] sendToken;
  private final Instant createdAt;
  private final Instant lastActivityAt;

  public QueueRecord(
      QueueId queueId,
      byte[] recipientId,
      byte[] senderId,
      QueueSecrets secrets,
      byte[] sendToken,
      Instant createdAt,
      Instant lastActivityAt) {
    if (recipientId.length != ID_LENGTH || senderId.length != ID_LENGTH) {
      throw new IllegalArgumentException("queue ids have " + ID_LENGTH + " bytes");
    }
    if (sendToken != null && sendToken.length != SEND_TOKEN_LENGTH) {
      throw new IllegalArgumentException("a send token has " + SEND_TOKEN_LENGTH + " bytes");
    }
    this.queueId = queueId;
    this.recipientId = recipientId.clone();
    this.senderId = senderId.clone();
    this.secrets = secrets;
    this.sendToken = sendToken == null ? null : sendToken.clone();
    this.createdAt = createdAt;
    this.lastActivityAt = lastActivityAt;
  }

  /** The handle to pass to the store's per-queue operations. */
  public QueueId queueId() {
    return queueId;
  }

  public byte[] recipientId() {
    return recipientId.clone();
  }

  public byte[] senderId() {
    return senderId.clone();
  }

  public QueueSecrets secrets() {
    return secrets;
  }

  /** The send token registered by {@code secureQueue}, if any. */
  public Optional<byte[]> sendToken() {
    return sendToken == null ? Optional.empty() : Optional.of(sendToken.clone());
  }

  /** True once a send token has been registered. */
  public boolean secured() {
    return sendToken != null;
  }

  /** Creation time, rounded down to the hour. */
  public Instant createdAt() {
    return createdAt;
  }

  /** Last recipient activity (read, ack, secure), rounded down to the hour. */
  public Instant lastActivityAt() {
    return lastActivityAt;
  }

  @Override
  public String toString() {
    return "QueueRecord[redacted, secured=" + secured() + "]";
  }
}
