package org.sealpost.cluster;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.sealpost.mailbox.MessageId;
import org.sealpost.mailbox.QueueId;
import org.sealpost.proto.v1.ErrorCode;
import org.sealpost.relay.queue.QueueException;

/**
 * Issue 14 (session 8): the Acks from this node to one shard's owner travel in batches. One request
 * is on the bus at a time; the Acks that come while it travels wait and leave together when it is
 * answered. A lone Ack leaves at once, so nothing waits that did not have to; under load one bus
 * round trip carries many. Each Ack is answered as before, once its deletion is durable on the
 * owner (or with its own refusal).
 */
final class AckBatcher {
  /** Acks per request at most. */
  static final int MAX_BATCH = 256;

  private record Waiting(QueueId queue, MessageId messageId, CompletableFuture<Boolean> done) {}

  private final Function<Buffer, CompletionStage<Buffer>> request;
  private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
  private boolean inFlight;
  private long requests;

  /**
   * @param request sends a body to the shard's owner and completes with its reply body, or fails as
   *     the command path fails (refused, unavailable)
   */
  AckBatcher(Function<Buffer, CompletionStage<Buffer>> request) {
    this.request = request;
  }

  /** Acknowledges {@code messageId}: {@code true} if this deleted it, {@code false} if gone. */
  CompletionStage<Boolean> ack(QueueId queue, MessageId messageId) {
    CompletableFuture<Boolean> done = new CompletableFuture<>();
    boolean start;
    synchronized (waiting) {
      waiting.add(new Waiting(queue, messageId, done));
      start = !inFlight;
      inFlight = true;
    }
    if (start) {
      next();
    }
    return done;
  }

  private void next() {
    List<Waiting> batch = new ArrayList<>();
    synchronized (waiting) {
      while (!waiting.isEmpty() && batch.size() < MAX_BATCH) {
        batch.add(waiting.poll());
      }
      if (batch.isEmpty()) {
        inFlight = false;
        return;
      }
    }
    synchronized (waiting) {
      requests++;
    }
    Buffer req = ShardWire.op(ShardWire.ACK_BATCH).appendInt(batch.size());
    for (Waiting w : batch) {
      ShardWire.queue(req, w.queue()).appendBytes(w.messageId().bytes());
    }
    CompletionStage<Buffer> reply;
    try {
      reply = request.apply(req);
    } catch (RuntimeException e) {
      reply = CompletableFuture.failedFuture(e);
    }
    reply.whenComplete(
        (body, failure) -> {
          try {
            for (int i = 0; i < batch.size(); i++) {
              CompletableFuture<Boolean> done = batch.get(i).done();
              if (failure != null) {
                done.completeExceptionally(failure);
              } else {
                answer(done, body, i);
              }
            }
          } finally {
            next(); // whatever happened to this batch, the next one leaves
          }
        });
  }

  /** Requests sent so far (for tests: how many Acks shared one). */
  long requests() {
    synchronized (waiting) {
      return requests;
    }
  }

  private static void answer(CompletableFuture<Boolean> done, Buffer body, int i) {
    byte status = body.getByte(i * ShardWire.ACK_ANSWER);
    if (status == ShardWire.ACK_FAILED) {
      ErrorCode code = ErrorCode.forNumber(body.getInt(i * ShardWire.ACK_ANSWER + 1));
      done.completeExceptionally(
          new QueueException(
              code == null ? ErrorCode.ERROR_CODE_INTERNAL : code, "refused by the shard's owner"));
    } else {
      done.complete(status == ShardWire.ACK_DELETED);
    }
  }
}
