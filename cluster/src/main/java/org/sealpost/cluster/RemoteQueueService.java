package org.sealpost.cluster;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.sealpost.mailbox.MessageId;
import org.sealpost.mailbox.QueueId;
import org.sealpost.mailbox.StoredEnvelope;
import org.sealpost.proto.v1.ErrorCode;
import org.sealpost.relay.queue.AuthorizedQueue;
import org.sealpost.relay.queue.CreatedQueue;
import org.sealpost.relay.queue.QueueException;
import org.sealpost.relay.queue.QueueService;

/**
 * The command path to one shard another node owns, over the clustered event bus (address per
 * shard). No owner registered, or no answer in time, is {@link ShardUnavailable}; the owner's
 * refusal comes back as its protocol error code.
 */
public final class RemoteQueueService implements QueueService {
  private final EventBus bus;
  private final int shard;
  private final String address;
  private final DeliveryOptions options;
  // issue 14 (session 8): envelopes the pending events carried, read instead of the bus
  private final RemoteTails tails;
  // issue 14 (session 11): the envelopes sent from here, kept for their events; this node's index
  private final SentEnvelopes sent;
  private final int self;
  // issue 14: Acks (session 8) and Sends (session 9) to this shard leave in batches, one request
  // of each on the bus at a time
  private final BusBatcher<Acked, Boolean> acks;
  private final BusBatcher<Sent, Void> sends;

  /**
   * Send requests on the bus at once per shard: several, so that a batch waiting for the owner's
   * fsync does not hold the next Sends back for a whole round trip (each leaves as its own group
   * commit's worth).
   */
  static final int SENDS_IN_FLIGHT = 4;

  /**
   * About the bytes of one encoded Send: a sender ID, a token, a block's envelope (16 KiB at the
   * default block size; a batch request that outgrows it grows as any buffer).
   */
  private static final int SEND_BYTES = 4 + 32 + 1 + 32 + 4 + (16 << 10) + 4 + 8;

  private record Acked(QueueId queue, MessageId messageId) {}

  private record Sent(byte[] senderId, byte[] envelope, byte[] sendToken, int node, long ticket) {}

  /**
   * @param timeout how long a command may wait for the owner before it is refused as unavailable
   */
  public RemoteQueueService(EventBus bus, int shard, Duration timeout) {
    this(bus, shard, timeout, null, null, 0);
  }

  /**
   * @param tails this node's copy of remote queues' tails, kept by the pending events ({@link
   *     ShardEvents}); null for none (every read goes over the bus)
   * @param sent where the envelopes sent from here wait for their events (null: not kept, the
   *     events bring them back)
   * @param self this node's index in the shard map's node list (with {@code sent})
   */
  RemoteQueueService(
      EventBus bus, int shard, Duration timeout, RemoteTails tails, SentEnvelopes sent, int self) {
    this.bus = bus;
    this.shard = shard;
    this.address = ShardWire.address(shard);
    this.options = new DeliveryOptions().setSendTimeout(timeout.toMillis());
    this.tails = tails;
    this.sent = sent;
    this.self = self;
    this.acks =
        new BusBatcher<>(
            ShardWire.ACK_BATCH,
            ShardWire.MAX_ACK_BATCH,
            1,
            QueueId.LENGTH + MessageId.LENGTH,
            (req, a) -> ShardWire.queue(req, a.queue()).appendBytes(a.messageId().bytes()),
            status -> status == ShardWire.ACK_DELETED,
            body -> call(body, b -> b));
    this.sends =
        new BusBatcher<>(
            ShardWire.SEND_BATCH,
            ShardWire.MAX_SEND_BATCH,
            SENDS_IN_FLIGHT,
            SEND_BYTES,
            RemoteQueueService::encodeSend,
            status -> null,
            body -> call(body, b -> b));
  }

  private <T> CompletionStage<T> call(Buffer request, Function<Buffer, T> decode) {
    Future<Message<Buffer>> reply = bus.request(address, request, options);
    return reply
        .<T>transform(
            ar -> {
              if (ar.succeeded()) {
                return Future.succeededFuture(decode.apply(ar.result().body()));
              }
              return Future.failedFuture(translate(ar.cause()));
            })
        .toCompletionStage();
  }

  private Throwable translate(Throwable t) {
    if (t instanceof ReplyException r && r.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
      ErrorCode code = ErrorCode.forNumber(r.failureCode());
      return new QueueException(
          code == null ? ErrorCode.ERROR_CODE_INTERNAL : code, "refused by the shard's owner");
    }
    // NO_HANDLERS (owner down or not joined), TIMEOUT, ERROR: retry later; events may be lost
    if (tails != null) {
      tails.dropShard(shard);
    }
    return ShardUnavailable.exception();
  }

  @Override
  public CompletionStage<CreatedQueue> create(byte[] recipientDhPublic) {
    return call(
        ShardWire.variable(ShardWire.op(ShardWire.CREATE), recipientDhPublic),
        b -> {
          ShardWire.Reader r = new ShardWire.Reader(b);
          return new CreatedQueue(r.fixed(32), r.fixed(32), r.fixed(32));
        });
  }

  @Override
  public CompletionStage<AuthorizedQueue> authorize(
      byte[] recipientId, byte[] handshakeHash, byte[] command, byte[] mac) {
    Buffer req = ShardWire.variable(ShardWire.op(ShardWire.AUTHORIZE), recipientId);
    ShardWire.variable(req, handshakeHash);
    ShardWire.variable(req, command);
    ShardWire.variable(req, mac);
    return call(
        req,
        b -> {
          ShardWire.Reader r = new ShardWire.Reader(b);
          return new AuthorizedQueue(r.queue(), r.fixed(32), r.fixed(32));
        });
  }

  @Override
  public CompletionStage<Void> secure(QueueId queue, byte[] sendToken) {
    return call(
        ShardWire.queue(ShardWire.op(ShardWire.SECURE), queue).appendBytes(sendToken), b -> null);
  }

  @Override
  public CompletionStage<Void> send(byte[] senderId, byte[] envelope, byte[] sendToken) {
    if (sent == null) {
      return sends.submit(new Sent(senderId, envelope, sendToken, 0, 0));
    }
    // issue 14 (session 11): the owner's event names the ticket, not the envelope, to this node
    long ticket = sent.keep(envelope);
    return sends
        .submit(new Sent(senderId, envelope, sendToken, self, ticket))
        .whenComplete(
            (v, failure) -> {
              if (failure != null) {
                sent.drop(ticket);
              }
            });
  }

  /**
   * One Send's fields in a batch: sender ID, token (flag first), envelope, this node's index and
   * the ticket its envelope is kept under (0: not kept).
   */
  private static void encodeSend(Buffer req, Sent s) {
    ShardWire.variable(req, s.senderId());
    if (s.sendToken() == null) {
      req.appendByte((byte) 0);
    } else {
      req.appendByte((byte) 1).appendBytes(s.sendToken());
    }
    ShardWire.variable(req, s.envelope()).appendInt(s.node()).appendLong(s.ticket());
  }

  @Override
  public CompletionStage<List<StoredEnvelope>> readPending(
      QueueId queue, long afterPosition, int maxCount) {
    // the owner's store answers at most a page (MailboxConfig's default 64, not a relay setting);
    // asking no more keeps "fewer than asked" meaning "nothing more" for the tails
    int ask = Math.min(maxCount, RemoteTails.MAX_ENTRIES);
    RemoteTails.Lookup lookup = tails == null ? null : tails.read(shard, queue, afterPosition, ask);
    if (lookup != null && lookup.cached() != null) {
      return CompletableFuture.completedFuture(lookup.cached());
    }
    CompletionStage<List<StoredEnvelope>> read =
        call(
            ShardWire.queue(ShardWire.op(ShardWire.READ), queue)
                .appendLong(afterPosition)
                .appendInt(ask),
            ShardWire::envelopes);
    if (lookup == null) {
      return read;
    }
    return read.whenComplete(
        (list, failure) -> tails.readDone(queue, lookup.sync(), afterPosition, ask, list));
  }

  @Override
  public CompletionStage<Boolean> isFull(QueueId queue) {
    return call(ShardWire.queue(ShardWire.op(ShardWire.IS_FULL), queue), b -> b.getByte(0) != 0);
  }

  @Override
  public CompletionStage<Boolean> ack(QueueId queue, MessageId messageId) {
    CompletionStage<Boolean> acked = acks.submit(new Acked(queue, messageId));
    if (tails == null) {
      return acked;
    }
    // answered either way (deleted now, or already gone): not to be pushed again from here
    return acked.whenComplete(
        (deleted, failure) -> {
          if (failure == null) {
            tails.acked(queue, messageId);
          }
        });
  }

  /** Ack requests sent to the owner so far (each carries one or more Acks). */
  long ackRequests() {
    return acks.requests();
  }

  /** Send requests sent to the owner so far (each carries one or more Sends). */
  long sendRequests() {
    return sends.requests();
  }

  @Override
  public CompletionStage<Void> delete(QueueId queue) {
    CompletionStage<Void> deleted =
        call(ShardWire.queue(ShardWire.op(ShardWire.DELETE), queue), b -> null);
    if (tails != null) {
      tails.forget(queue); // before and after: nothing of it is pushed from here again
      deleted = deleted.whenComplete((v, failure) -> tails.forget(queue));
    }
    return deleted;
  }
}
