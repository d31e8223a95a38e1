package org.sealpost.relay.protocol;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.sealpost.mailbox.QueueId;
import org.sealpost.relay.delivery.SubscriptionRegistry;
import org.sealpost.relay.queue.QueueEvents;

/**
 * Turns command-path events into subscriber notifications through the shared {@link
 * SubscriptionRegistry} (one per relay, used by every listener instance).
 *
 * <p>The registry only says "envelopes are waiting"; a full queue is signalled by marking the queue
 * here before notifying, and the subscriber takes the mark on its context ({@link
 * #takeQuotaSignal}). A mark exists only between a refused Send and the subscriber's next
 * notification: nothing about queues is kept beyond that.
 */
public final class SubscriptionHub implements QueueEvents {
  private final SubscriptionRegistry<QueueId> registry;
  private final Set<QueueId> quotaSignals = ConcurrentHashMap.newKeySet();

  public SubscriptionHub(SubscriptionRegistry<QueueId> registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  /** The shared registry. */
  public SubscriptionRegistry<QueueId> registry() {
    return registry;
  }

  @Override
  public void pending(QueueId queue) {
    registry.notifyPending(queue);
  }

  @Override
  public void quotaReached(QueueId queue) {
    quotaSignals.add(queue);
    if (!registry.notifyPending(queue)) {
      quotaSignals.remove(queue); // nobody subscribed: nobody to tell
    }
  }

  /** Whether a refused Send marked this queue full since the last call; clears the mark. */
  boolean takeQuotaSignal(QueueId queue) {
    return quotaSignals.remove(queue);
  }
}
