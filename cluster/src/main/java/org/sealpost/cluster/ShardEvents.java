package org.sealpost.cluster;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.sealpost.mailbox.QueueId;
import org.sealpost.mailbox.StoredEnvelope;
import org.sealpost.relay.queue.QueueEvents;

/**
 * The session side of remote subscriptions: this node listens to the events of the shards it does
 * not own and hands them to its own subscription hub, which pushes through the same window and
 * ordering as for local queues. Since issue 14's session 8 a pending event carries its envelope,
 * kept in {@link RemoteTails} so that the push does not read it back through the command path;
 * since session 9 a shard's events arrive in batches ({@link EventBatch}).
 */
public final class ShardEvents {
  private final List<MessageConsumer<Buffer>> consumers = new ArrayList<>();

  private ShardEvents() {}

  /** Listens to the events of {@code shards}, handing each to {@code sink}. */
  public static Future<ShardEvents> listen(
      EventBus bus, Collection<Integer> shards, QueueEvents sink) {
    return listen(bus, shards, sink, null);
  }

  /**
   * As above; an envelope carried by a pending event goes to {@code tails} (if not null) before the
   * sink is told, so that the push it causes finds it there.
   */
  static Future<ShardEvents> listen(
      EventBus bus, Collection<Integer> shards, QueueEvents sink, RemoteTails tails) {
    ShardEvents events = new ShardEvents();
    List<Future<Void>> done = new ArrayList<>();
    EventOrder order = new EventOrder();
    for (int shard : shards) {
      MessageConsumer<Buffer> c =
          bus.consumer(
              ShardWire.eventAddress(shard),
              m -> {
                ShardWire.Reader r = new ShardWire.Reader(m.body());
                byte kind = r.op();
                if (kind == ShardWire.EVENT_PENDING_BATCH) {
                  long incarnation = r.longValue();
                  long seq = r.longValue();
                  int count = r.intValue();
                  if (tails != null && !order.next(shard, incarnation, seq)) {
                    tails.dropShard(shard); // a batch missed or overtaken: tails may lack it
                  }
                  for (int i = 0; i < count; i++) {
                    QueueId queue = r.queue();
                    StoredEnvelope envelope = ShardWire.envelope(r);
                    if (tails != null) {
                      tails.announced(queue, envelope);
                    }
                    sink.pending(queue);
                  }
                } else if (kind == ShardWire.EVENT_PENDING) {
                  // no envelope: this node's copy of the queue's tail cannot follow it
                  QueueId queue = r.queue();
                  if (tails != null) {
                    tails.forget(queue);
                  }
                  sink.pending(queue);
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
