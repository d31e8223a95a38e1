package org.sealpost.mailbox;

/**
 * A pending envelope read from a queue.
 *
 * @param position opaque position, strictly increasing in append order within the queue
 * @param messageId the random message ID given at append
 * @param envelope the envelope bytes as appended (the caller owns this array)
 */
public record StoredEnvelope(long position, MessageId messageId, byte[] envelope) {
  @Override
  public String toString() {
    return "StoredEnvelope[redacted, " + envelope.length + " bytes]";
  }
}
