package org.sealpost.cluster;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.sealpost.relay.queue.QueueEvents;

/**
 * The session side of remote subscriptions: this node listens to the events of the shards it does
 * not own and hands them to its own subscription hub, which pushes through the same window and
 * ordering as for local queues (the pushes read the envelopes back through the command path).
 */
public final class ShardEvents {
  private final List<MessageConsumer<Buffer>> consumers = new ArrayList<>();

  private ShardEvents() {}

  /** Listens to the events of {@code shards}, handing each to {@code sink}. */
  public static Future<ShardEvents> listen(
      EventBus bus, Collection<Integer> shards, QueueEvents sink) {
    ShardEvents events = new ShardEvents();
    List<Future<Void>> done = new ArrayList<>();
    for (int shard : shards) {
      MessageConsumer<Buffer> c =
          bus.consumer(
              ShardWire.eventAddress(shard),
              m -> {
                ShardWire.Reader r = new ShardWire.Reader(m.body());
                byte kind = r.op();
                if (kind == ShardWire.EVENT_PENDING) {
                  sink.pending(r.queue());
                } else if (kind == ShardWire.EVENT_QUOTA) {
                  sink.quotaReached(r.queue());
                }
              });
      events.consumers.add(c);
      done.add(c.completion());
    }
    return Future.all(done).map(events);
  }

  public Future<Void> close() {
    List<Future<Void>> done = new ArrayList<>();
    consumers.forEach(c -> done.add(c.unregister()));
    return Future.all(done).mapEmpty();
  }
}
