package org.sealpost.cluster;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.sealpost.mailbox.MessageId;
import org.sealpost.mailbox.QueueId;
import org.sealpost.mailbox.StoredEnvelope;
import org.sealpost.relay.queue.QueueEvents;

/**
 * The session side of remote subscriptions: this node listens to the events of the shards it does
 * not own and hands them to its own subscription hub, which pushes through the same window and
 * ordering as for local queues. Since issue 14's session 8 a pending event carries its envelope,
 * kept in {@link RemoteTails} so that the push does not read it back through the command path;
 * since session 9 a shard's events arrive in batches ({@link EventBatch}); since session 11 the
 * batches come to this node's own address, and an envelope this node sent comes back as its ticket
 * only, the bytes taken from {@link SentEnvelopes}.
 */
final class ShardEvents {
  private final List<MessageConsumer<Buffer>> consumers = new ArrayList<>();

  private ShardEvents() {}

  /**
   * Listens to the events of {@code shards}, handing each to {@code sink}; an envelope carried by a
   * pending event (or kept in {@code sent} for it) goes to {@code tails} before the sink is told,
   * so that the push it causes finds it there.
   *
   * @param self this node's name (the batches' address: {@link ShardWire#eventAddress(int,
   *     String)})
   */
  static Future<ShardEvents> listen(
      EventBus bus,
      Collection<Integer> shards,
      String self,
      QueueEvents sink,
      RemoteTails tails,
      SentEnvelopes sent) {
    ShardEvents events = new ShardEvents();
    List<Future<Void>> done = new ArrayList<>();
    EventOrder order = new EventOrder();
    for (int shard : shards) {
      events.add(
          bus.consumer(
              ShardWire.eventAddress(shard, self),
              m -> batch(shard, new ShardWire.Reader(m.body()), order, sink, tails, sent)),
          done);
      events.add(
          bus.consumer(
              ShardWire.eventAddress(shard),
              m -> {
                ShardWire.Reader r = new ShardWire.Reader(m.body());
                byte kind = r.op();
                if (kind == ShardWire.EVENT_PENDING) {
                  // no envelope: this node's copy of the queue's tail cannot follow it
                  QueueId queue = r.queue();
                  tails.forget(queue);
                  sink.pending(queue);
                } else if (kind == ShardWire.EVENT_QUOTA) {
                  sink.quotaReached(r.queue());
                }
              }),
          done);
    }
    return Future.all(done).map(events);
  }

  private void add(MessageConsumer<Buffer> consumer, List<Future<Void>> done) {
    consumers.add(consumer);
    done.add(consumer.completion());
  }

  private static void batch(
      int shard,
      ShardWire.Reader r,
      EventOrder order,
      QueueEvents sink,
      RemoteTails tails,
      SentEnvelopes sent) {
    if (r.op() != ShardWire.EVENT_PENDING_BATCH) {
      return;
    }
    long incarnation = r.longValue();
    long seq = r.longValue();
    int count = r.intValue();
    if (!order.next(shard, incarnation, seq)) {
      tails.dropShard(shard); // a batch missed or overtaken: tails may lack it
    }
    for (int i = 0; i < count; i++) {
      byte kind = r.op();
      QueueId queue = r.queue();
      StoredEnvelope envelope =
          kind == ShardWire.EVENT_SENT_HERE ? kept(r, sent) : ShardWire.envelope(r);
      if (envelope != null) {
        tails.announced(queue, envelope);
      } else {
        tails.forget(queue); // the kept bytes are gone: the tail cannot follow
      }
      sink.pending(queue);
    }
  }

  /** The envelope this node sent, from its fields and the bytes kept under its ticket; or null. */
  private static StoredEnvelope kept(ShardWire.Reader r, SentEnvelopes sent) {
    long position = r.longValue();
    MessageId id = MessageId.of(r.fixed(MessageId.LENGTH));
    long notBefore = r.longValue();
    byte[] bytes = sent.claim(r.longValue());
    return bytes == null ? null : new StoredEnvelope(position, id, bytes, notBefore);
  }

  Future<Void> close() {
    List<Future<Void>> done = new ArrayList<>();
    consumers.forEach(c -> done.add(c.unregister()));
    return Future.all(done).mapEmpty();
  }
}
