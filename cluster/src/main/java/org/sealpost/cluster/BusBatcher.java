package org.sealpost.cluster;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.sealpost.proto.v1.ErrorCode;
import org.sealpost.relay.protocol.ErrorMapper;
import org.sealpost.relay.queue.QueueException;

/**
 * Issue 14: the commands from this node to one shard's owner that batch — Acks (session 8) and
 * Sends (session 9) — travel in batches. A bounded number of requests per kind is on the bus at a
 * time; the commands that come while all of them travel wait and leave together when one is
 * answered. A lone command leaves at once, so nothing waits that did not have to; under load one
 * bus round trip carries many, which the owner's store commits as one group anyway. Each command is
 * answered as before, once its write is durable on the owner (or with its own refusal).
 *
 * <p>The answer to a batch is, per command in order, a status byte and an error code ({@link
 * ShardWire#BATCH_ANSWER} bytes; the code is 0 unless the status is {@link ShardWire#FAILED}).
 *
 * @param <I> one command
 * @param <R> its answer, made from its status byte
 */
final class BusBatcher<I, R> {
  private record Waiting<I, R>(I item, CompletableFuture<R> done) {}

  private final byte op;
  private final int maxBatch;
  private final int maxInFlight;
  private final int itemBytes;
  private final BiConsumer<Buffer, I> encode;
  private final Function<Byte, R> decode;
  private final Function<Buffer, CompletionStage<Buffer>> request;
  private final ArrayDeque<Waiting<I, R>> waiting = new ArrayDeque<>();
  private int inFlight;
  private long requests;

  /**
   * @param op the batch operation ({@link ShardWire#ACK_BATCH}, {@link ShardWire#SEND_BATCH})
   * @param maxBatch commands per request at most (the owner refuses more)
   * @param maxInFlight requests on the bus at once at most; a command that finds fewer leaves at
   *     once, alone or with those that came meanwhile
   * @param itemBytes about the bytes of one encoded command (a request is sized for its batch, so
   *     that a batch of envelopes is copied into it once, not again at every doubling)
   * @param encode appends one command's fields to a request
   * @param decode a command's answer from its status byte (other than {@link ShardWire#FAILED})
   * @param request sends a body to the shard's owner and completes with its reply body, or fails as
   *     the command path fails (refused, unavailable)
   */
  BusBatcher(
      byte op,
      int maxBatch,
      int maxInFlight,
      int itemBytes,
      BiConsumer<Buffer, I> encode,
      Function<Byte, R> decode,
      Function<Buffer, CompletionStage<Buffer>> request) {
    this.op = op;
    this.maxBatch = maxBatch;
    this.maxInFlight = maxInFlight;
    this.itemBytes = itemBytes;
    this.encode = encode;
    this.decode = decode;
    this.request = request;
  }

  /** Sends {@code item} in the next batch; completes with its answer. */
  CompletionStage<R> submit(I item) {
    CompletableFuture<R> done = new CompletableFuture<>();
    boolean start;
    synchronized (waiting) {
      waiting.add(new Waiting<>(item, done));
      start = inFlight < maxInFlight;
      if (start) {
        inFlight++;
      }
    }
    if (start) {
      next();
    }
    return done;
  }

  private void next() {
    List<Waiting<I, R>> batch = new ArrayList<>();
    synchronized (waiting) {
      while (!waiting.isEmpty() && batch.size() < maxBatch) {
        batch.add(waiting.poll());
      }
      if (batch.isEmpty()) {
        inFlight--;
        return;
      }
      requests++;
    }
    CompletionStage<Buffer> reply;
    try {
      Buffer req = Buffer.buffer(5 + batch.size() * itemBytes).appendByte(op);
      req.appendInt(batch.size());
      for (Waiting<I, R> w : batch) {
        encode.accept(req, w.item());
      }
      reply = request.apply(req);
    } catch (RuntimeException e) {
      reply = CompletableFuture.failedFuture(e);
    }
    reply.whenComplete(
        (body, failure) -> {
          try {
            for (int i = 0; i < batch.size(); i++) {
              CompletableFuture<R> done = batch.get(i).done();
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

  /**
   * The owner's side: runs every command of a batch (the store commits them together) and answers
   * each in the format {@link #answer} reads: {@code one} reads a command's fields and starts it,
   * completing with its status byte.
   */
  static CompletionStage<Buffer> run(
      ShardWire.Reader r, int max, Function<ShardWire.Reader, CompletionStage<Byte>> one) {
    int n = r.intValue();
    if (n < 0 || n > max) {
      throw new IllegalArgumentException("bad batch");
    }
    List<CompletableFuture<Void>> answers = new ArrayList<>(n);
    byte[] status = new byte[n];
    int[] codes = new int[n];
    for (int i = 0; i < n; i++) {
      int slot = i;
      CompletionStage<Byte> done;
      try {
        done = one.apply(r);
      } catch (RuntimeException e) {
        done = CompletableFuture.failedFuture(e);
      }
      answers.add(
          done.handle(
                  (ok, failure) -> {
                    if (failure != null) {
                      status[slot] = ShardWire.FAILED;
                      codes[slot] = ErrorMapper.toErrorCode(failure).getNumber();
                    } else {
                      status[slot] = ok;
                    }
                    return (Void) null;
                  })
              .toCompletableFuture());
    }
    return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
        .thenApply(
            v -> {
              Buffer out = Buffer.buffer(n * ShardWire.BATCH_ANSWER);
              for (int i = 0; i < n; i++) {
                out.appendByte(status[i]).appendInt(codes[i]);
              }
              return out;
            });
  }

  /** Requests sent so far (for tests: how many commands shared one). */
  long requests() {
    synchronized (waiting) {
      return requests;
    }
  }

  private void answer(CompletableFuture<R> done, Buffer body, int i) {
    byte status = body.getByte(i * ShardWire.BATCH_ANSWER);
    if (status == ShardWire.FAILED) {
      ErrorCode code = ErrorCode.forNumber(body.getInt(i * ShardWire.BATCH_ANSWER + 1));
      done.completeExceptionally(
          new QueueException(
              code == null ? ErrorCode.ERROR_CODE_INTERNAL : code, "refused by the shard's owner"));
    } else {
      done.complete(decode.apply(status));
    }
  }
}
