package org.sealpost.mailbox;

/**
 * A pending envelope read from a queue.
 *
 * @param position opaque position, strictly increasing in append order within the queue
 * @param messageId the random message ID given at append
 * @param envelope the envelope bytes as appended (the caller owns this array)
 * @param notBefore when the envelope becomes deliverable, in epoch milliseconds, as given to {@link
 *     MailboxStore#append(QueueId, byte[], long)}; 0 for at once
 */
public record StoredEnvelope(long position, MessageId messageId, byte[] envelope, long notBefore) {
  /** An envelope deliverable at once. */
  public StoredEnvelope(long position, MessageId messageId, byte[] envelope) {
    this(position, messageId, envelope, 0);
  }

  @Override
  public String toString() {
    return "StoredEnvelope[redacted, " + envelope.length + " bytes]";
  }
}
