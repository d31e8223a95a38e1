package org.sealpost.relay.queue;

import org.sealpost.mailbox.QueueId;
import org.sealpost.mailbox.StoredEnvelope;

/**
 * What the command path tells the sessions about a queue. Called from the store's threads; an
 * implementation hands the event to the subscriber's own context.
 */
public interface QueueEvents {
  /** A durable envelope is waiting in the queue. */
  void pending(QueueId queue);

  // issue 14 (session 8): the envelope rides with the event, so a cluster node can push it
  /**
   * A durable envelope is waiting in the queue: the one just appended, as the store returned it
   * (its array is the caller's: copy it to keep it). The local hub needs only the queue; a cluster
   * carries the envelope to the other nodes so that a remote subscriber's push does not read it
   * back over the event bus.
   */
  default void pending(QueueId queue, StoredEnvelope appended) {
    pending(queue);
  }

  /** A Send was refused because the queue (or the relay's storage) is full. */
  void quotaReached(QueueId queue);
}
