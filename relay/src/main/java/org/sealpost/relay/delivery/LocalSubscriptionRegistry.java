package org.sealpost.relay.delivery;

import java.util.concurrent.ConcurrentHashMap;

/** The single-node {@link SubscriptionRegistry}: a concurrent map from queue to subscriber. */
public final class LocalSubscriptionRegistry<K> implements SubscriptionRegistry<K> {
  private final ConcurrentHashMap<K, Subscriber<K>> subscribers = new ConcurrentHashMap<>();

  @Override
  public void subscribe(K queue, Subscriber<K> subscriber) {
    Subscriber<K> previous = subscribers.put(queue, subscriber);
    if (previous != null && previous != subscriber) {
      previous.context().runOnContext(v -> previous.onEvicted(queue));
    }
  }

  @Override
  public boolean unsubscribe(K queue, Subscriber<K> subscriber) {
    return subscribers.remove(queue, subscriber);
  }

  @Override
  public boolean notifyPending(K queue) {
    Subscriber<K> current = subscribers.get(queue);
    if (current == null) {
      return false;
    }
    current.context().runOnContext(v -> current.onPending(queue));
    return true;
  }

  @Override
  public boolean notifyQuotaReached(K queue) {
    Subscriber<K> current = subscribers.get(queue);
    if (current == null) {
      return false;
    }
    current.context().runOnContext(v -> current.onQuotaReached(queue));
    return true;
  }

  @Override
  public void evict(K queue) {
    Subscriber<K> previous = subscribers.remove(queue);
    if (previous != null) {
      previous.context().runOnContext(v -> previous.onEvicted(queue));
    }
  }

  @Override
  public boolean isSubscribed(K queue, Subscriber<K> subscriber) {
    return subscribers.get(queue) == subscriber;
  }

  @Override
  public int size() {
    return subscribers.size();
  }
}
