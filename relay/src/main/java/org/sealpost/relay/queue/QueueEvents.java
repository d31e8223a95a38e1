package org.sealpost.relay.queue;

import org.sealpost.mailbox.QueueId;

/**
 * What the command path tells the sessions about a queue. Called from the store's threads; an
 * implementation hands the event to the subscriber's own context.
 */
public interface QueueEvents {
  /** A durable envelope is waiting in the queue. */
  void pending(QueueId queue);

  /** A Send was refused because the queue (or the relay's storage) is full. */
  void quotaReached(QueueId queue);
}
