package org.sealpost.relay.queue;

import org.sealpost.mailbox.QueueId;

/**
 * A queue whose recipient command carried a valid MAC in this session.
 *
 * @param queueId the store's handle of the queue
 * @param recipientId the 32-byte recipient ID the command named
 * @param deliveryKey the 32-byte key of delivery encryption (docs/protocol.md §6)
 */
public record AuthorizedQueue(QueueId queueId, byte[] recipientId, byte[] deliveryKey) {
  @Override
  public String toString() {
    return "AuthorizedQueue[redacted]";
  }
}
