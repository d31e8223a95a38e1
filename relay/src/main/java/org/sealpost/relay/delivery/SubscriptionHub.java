package org.sealpost.relay.delivery;

import java.util.Objects;
import org.sealpost.mailbox.QueueId;
import org.sealpost.relay.queue.QueueEvents;

/**
 * Turns command-path events into subscriber notifications through the shared {@link
 * SubscriptionRegistry} (one per relay, used by every listener instance). Nothing about queues is
 * kept here.
 */
public final class SubscriptionHub implements QueueEvents {
  private final SubscriptionRegistry<QueueId> registry;

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
    registry.notifyQuotaReached(queue);
  }
}
