package org.sealpost.relay.delivery;

import io.vertx.core.Context;

/**
 * A session holding queue subscriptions. The registry calls these methods on {@link #context()}, so
 * a subscriber never needs locks (DESIGN §7a: pushes run on the subscriber's context).
 *
 * @param <K> the queue key type
 */
public interface Subscriber<K> {
  /** The event-loop context of the subscriber's connection. */
  Context context();

  /** The queue has envelopes waiting; fetch and push them within the delivery window. */
  void onPending(K queue);

  /**
   * A Send to the queue was refused because it is full; tell the client ({@code QuotaReached})
   * unless it was told since its last Ack.
   */
  void onQuotaReached(K queue);

  /**
   * Another session subscribed to the queue, or the queue was deleted; tell the client ({@code
   * End}) and forget it.
   */
  void onEvicted(K queue);
}
