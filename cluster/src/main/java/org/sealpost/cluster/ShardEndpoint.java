package org.sealpost.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.sealpost.mailbox.MessageId;
import org.sealpost.mailbox.QueueId;
import org.sealpost.mailbox.StoredEnvelope;
import org.sealpost.proto.crypto.SendToken;
import org.sealpost.relay.protocol.ErrorMapper;
import org.sealpost.relay.queue.QueueEvents;
import org.sealpost.relay.queue.QueueService;

/**
 * The owner's side: takes the commands other nodes send to this node's shards and runs them on the
 * local command path; sends the shards' pending and quota events to every node. A refusal travels
 * as its protocol error code only, never a message.
 */
public final class ShardEndpoint {
  private final List<MessageConsumer<Buffer>> consumers = new ArrayList<>();

  private ShardEndpoint() {}

  /**
   * Registers one consumer per local shard; completes once every registration reached the cluster.
   *
   * @param origins where the Sends from other nodes are noted, for their events ({@link
   *     EventBatch})
   */
  public static Future<ShardEndpoint> register(
      EventBus bus, Map<Integer, QueueService> local, SendOrigins origins) {
    ShardEndpoint endpoint = new ShardEndpoint();
    List<Future<Void>> done = new ArrayList<>();
    local.forEach(
        (shard, service) -> {
          MessageConsumer<Buffer> c =
              bus.consumer(ShardWire.address(shard), m -> endpoint.handle(service, origins, m));
          endpoint.consumers.add(c);
          done.add(c.completion());
        });
    return Future.all(done).map(endpoint);
  }

  /**
   * Events of a local shard: told to this node's own hub and sent to every other node (the
   * subscriber may be anywhere). Pending events go out in batches ({@link EventBatch}), one copy
   * per node, the envelope left out of the copy for the node that sent it.
   *
   * @param nodes the shard map's nodes, in its order
   * @param self this node's name
   * @param origins the nodes the envelopes being stored came from
   */
  static QueueEvents publisher(
      Vertx vertx,
      int shard,
      QueueEvents local,
      List<String> nodes,
      String self,
      SendOrigins origins) {
    EventBus bus = vertx.eventBus();
    String address = ShardWire.eventAddress(shard);
    EventBatch batch =
        new EventBatch(
            bus, EventBatch.addresses(shard, nodes, self), origins, vertx.getOrCreateContext());
    return new QueueEvents() {
      @Override
      public void pending(QueueId queue) {
        local.pending(queue);
        bus.publish(address, ShardWire.queue(ShardWire.op(ShardWire.EVENT_PENDING), queue));
      }

      // issue 14 (session 8): the envelope rides with the event (RemoteTails on the other nodes)
      @Override
      public void pending(QueueId queue, StoredEnvelope appended) {
        local.pending(queue, appended);
        batch.add(queue, appended);
      }

      @Override
      public void quotaReached(QueueId queue) {
        local.quotaReached(queue);
        bus.publish(address, ShardWire.queue(ShardWire.op(ShardWire.EVENT_QUOTA), queue));
      }
    };
  }

  /** Stops taking commands. */
  public Future<Void> unregister() {
    List<Future<Void>> done = new ArrayList<>();
    consumers.forEach(c -> done.add(c.unregister()));
    return Future.all(done).mapEmpty();
  }

  private void handle(QueueService s, SendOrigins origins, Message<Buffer> m) {
    ShardWire.Reader r = new ShardWire.Reader(m.body());
    CompletionStage<Buffer> reply;
    try {
      reply = run(s, origins, r.op(), r);
    } catch (RuntimeException e) {
      m.fail(ErrorMapper.toErrorCode(e).getNumber(), "refused");
      return;
    }
    reply.whenComplete(
        (body, failure) -> {
          if (failure != null) {
            m.fail(ErrorMapper.toErrorCode(failure).getNumber(), "refused");
          } else {
            m.reply(body);
          }
        });
  }

  /** Reads one Ack of a batch and starts it. */
  private static CompletionStage<Byte> ackOne(QueueService s, ShardWire.Reader r) {
    QueueId q = r.queue();
    MessageId id = MessageId.of(r.fixed(MessageId.LENGTH));
    return s.ack(q, id).thenApply(deleted -> deleted ? ShardWire.ACK_DELETED : ShardWire.ACK_GONE);
  }

  /**
   * Reads one Send of a batch (sender ID, token with its flag, envelope, the sending node's index
   * and ticket) and starts it, noting where it came from for its event.
   */
  private static CompletionStage<Byte> sendOne(
      QueueService s, SendOrigins origins, ShardWire.Reader r) {
    byte[] sid = r.variable();
    byte[] token = r.bool() ? r.fixed(SendToken.LENGTH) : null;
    byte[] envelope = r.variable();
    int node = r.intValue();
    long ticket = r.longValue();
    if (ticket == 0) {
      return s.send(sid, envelope, token).thenApply(v -> ShardWire.SENT);
    }
    origins.put(envelope, node, ticket);
    CompletionStage<Void> sent;
    try {
      sent = s.send(sid, envelope, token);
    } catch (RuntimeException e) {
      origins.forget(envelope);
      throw e;
    }
    return sent.handle(
        (v, failure) -> {
          if (failure == null) {
            return ShardWire.SENT;
          }
          origins.forget(envelope);
          throw failure instanceof CompletionException c ? c : new CompletionException(failure);
        });
  }

  private static CompletionStage<Buffer> run(
      QueueService s, SendOrigins origins, byte op, ShardWire.Reader r) {
    return switch (op) {
      case ShardWire.CREATE ->
          s.create(r.variable())
              .thenApply(
                  c ->
                      Buffer.buffer()
                          .appendBytes(c.recipientId())
                          .appendBytes(c.senderId())
                          .appendBytes(c.relayDhPublic()));
      case ShardWire.AUTHORIZE -> {
        byte[] rid = r.variable();
        byte[] hh = r.variable();
        byte[] command = r.variable();
        byte[] mac = r.variable();
        yield s.authorize(rid, hh, command, mac)
            .thenApply(
                a ->
                    ShardWire.queue(Buffer.buffer(), a.queueId())
                        .appendBytes(a.recipientId())
                        .appendBytes(a.deliveryKey()));
      }
      case ShardWire.SECURE -> {
        QueueId q = r.queue();
        yield s.secure(q, r.fixed(SendToken.LENGTH)).thenApply(v -> Buffer.buffer());
      }
      case ShardWire.READ -> {
        QueueId q = r.queue();
        long after = r.longValue();
        yield s.readPending(q, after, r.intValue()).thenApply(ShardWire::envelopes);
      }
      case ShardWire.IS_FULL ->
          s.isFull(r.queue()).thenApply(b -> Buffer.buffer().appendByte((byte) (b ? 1 : 0)));
      case ShardWire.DELETE -> s.delete(r.queue()).thenApply(v -> Buffer.buffer());
      case ShardWire.ACK_BATCH -> BusBatcher.run(r, ShardWire.MAX_ACK_BATCH, x -> ackOne(s, x));
      case ShardWire.SEND_BATCH ->
          BusBatcher.run(r, ShardWire.MAX_SEND_BATCH, x -> sendOne(s, origins, x));
      default -> throw new IllegalArgumentException("unknown shard operation");
    };
  }
}
