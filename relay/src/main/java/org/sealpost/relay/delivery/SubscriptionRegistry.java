package org.sealpost.relay.delivery;

/**
 * Which session each subscribed queue is bound to: one instance shared by all listener verticle
 * instances, safe to call from any thread. Notifications always run on the subscriber's own
 * context. The local implementation is {@link LocalSubscriptionRegistry}; a cluster adds one that
 * routes to the owning node (DESIGN §7).
 *
 * @param <K> the queue key type; it must implement {@code equals}/{@code hashCode} by value
 */
public interface SubscriptionRegistry<K> {
  /**
   * Binds {@code queue} to {@code subscriber}. A different subscriber that held it is told {@link
   * Subscriber#onEvicted} on its context.
   */
  void subscribe(K queue, Subscriber<K> subscriber);

  /**
   * Removes the binding if {@code subscriber} still holds it.
   *
   * @return whether it was removed
   */
  boolean unsubscribe(K queue, Subscriber<K> subscriber);

  /**
   * Tells the queue's subscriber, on its context, that envelopes are waiting.
   *
   * @return whether the queue had a subscriber
   */
  boolean notifyPending(K queue);

  /**
   * Tells the queue's subscriber, on its context, that a Send was refused because the queue is
   * full.
   *
   * @return whether the queue had a subscriber
   */
  boolean notifyQuotaReached(K queue);

  /**
   * Removes the queue's binding, whoever holds it; that subscriber is told {@link
   * Subscriber#onEvicted} on its context (the queue was deleted).
   */
  void evict(K queue);

  /** Whether {@code subscriber} currently holds {@code queue}. */
  boolean isSubscribed(K queue, Subscriber<K> subscriber);

  /** The number of subscribed queues (an aggregate, for a gauge). */
  int size();
}
