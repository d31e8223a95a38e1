package org.sealpost.client.internal;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import java.util.function.Consumer;
import org.sealpost.client.ClientError;
import org.sealpost.client.SealpostException;
import org.sealpost.proto.codec.BlockException;
import org.sealpost.proto.crypto.noise.NoiseException;
import org.sealpost.proto.crypto.noise.NoiseTransport;
import org.sealpost.proto.v1.Frame;

/**
 * The outgoing side of an open session: queues frames, packs them into blocks, encrypts each block
 * and writes it as one WebSocket binary message. Frames queued in one event-loop task share blocks;
 * in constant-rate mode blocks leave only on the session's clock ({@link #tick}), a cover block
 * when nothing is queued. Confined to the session's context: Noise nonces advance in wire order.
 */
final class Outbox {
  private final Context context;
  private final WebSocket ws;
  private final NoiseTransport transport;
  private final FrameBatcher batcher;
  private final boolean constantRate;
  private final Consumer<SealpostException> onFailure;
  private boolean flushScheduled;
  private long deferredFlush = -1;
  private boolean stopped;
  // issue 13: frames without a reply (unanswered Acks) wait a bounded time for company
  private final long deferMillis;
  private final int deferLimit;
  private int deferred;

  /**
   * @param constantRate whether blocks leave only on {@link #tick} (cover traffic)
   * @param onFailure told when the session cannot encrypt any more
   * @param deferMillis how long a frame without a reply (an unanswered Ack) may wait for company
   *     before its block leaves: Acks of pushes that arrive close together share one block instead
   *     of one block each. It delays only the deletion and, once a queue's window is full, its next
   *     push, never a message. 0 = it leaves at the end of the task.
   * @param deferLimit deferred frames that make the block leave at once (half the relay's window,
   *     so that a queue's pushes never stall on Acks held here)
   */
  Outbox(
      Context context,
      WebSocket ws,
      NoiseTransport transport,
      FrameBatcher batcher,
      boolean constantRate,
      Consumer<SealpostException> onFailure,
      long deferMillis,
      int deferLimit) {
    this.context = context;
    this.ws = ws;
    this.transport = transport;
    this.batcher = batcher;
    this.constantRate = constantRate;
    this.onFailure = onFailure;
    this.deferMillis = deferMillis;
    this.deferLimit = Math.max(1, deferLimit);
  }

  /**
   * Queues a frame for the next block.
   *
   * @throws BlockException if the frame can never fit into a block
   */
  void add(Frame frame) throws BlockException {
    batcher.add(frame);
    scheduleFlush();
  }

  /**
   * Queues a frame that may wait up to {@code deferMillis} for other frames; any frame queued
   * meanwhile takes it along at once, and so does the {@code deferLimit}-th deferred frame.
   *
   * @throws BlockException if the frame can never fit into a block
   */
  void addDeferred(Frame frame) throws BlockException {
    batcher.add(frame);
    deferred++;
    if (constantRate) {
      return;
    }
    if (deferred >= deferLimit || deferMillis <= 0) {
      scheduleFlush();
      return;
    }
    if (flushScheduled || deferredFlush >= 0) {
      return;
    }
    deferredFlush =
        context
            .owner()
            .setTimer(
                deferMillis,
                id -> {
                  deferredFlush = -1;
                  flush();
                });
  }

  /** Frames queued and not yet written. */
  int queued() {
    return batcher.queued();
  }

  /** Constant-rate mode: one block per tick, the next frames or a cover block that carries none. */
  void tick() {
    if (!stopped && !ws.writeQueueFull()) {
      writeBlock(batcher.nextBlock());
    }
  }

  /**
   * Writes every frame still queued now, deferred ones included (a graceful close: the Acks waiting
   * for company leave before the close frame instead of being dropped).
   */
  void flushPending() {
    if (deferredFlush >= 0) {
      context.owner().cancelTimer(deferredFlush);
      deferredFlush = -1;
    }
    while (!stopped && !batcher.isEmpty()) {
      writeBlock(batcher.nextBlock()); // Vert.x queues past its high-water mark; the close follows
    }
  }

  /** Writes nothing more. */
  void stop() {
    stopped = true;
    if (deferredFlush >= 0) {
      context.owner().cancelTimer(deferredFlush);
      deferredFlush = -1;
    }
  }

  private void scheduleFlush() {
    if (constantRate || flushScheduled) {
      return; // constant-rate mode writes on its own clock
    }
    flushScheduled = true;
    // Runs after the current task: every frame queued in this task shares the blocks.
    context.runOnContext(v -> flush());
  }

  private void flush() {
    flushScheduled = false;
    deferred = 0;
    if (deferredFlush >= 0) {
      context.owner().cancelTimer(deferredFlush); // the deferred frames leave now
      deferredFlush = -1;
    }
    while (!stopped && !batcher.isEmpty()) {
      if (ws.writeQueueFull()) {
        ws.drainHandler(
            v -> {
              ws.drainHandler(null);
              scheduleFlush();
            });
        return;
      }
      writeBlock(batcher.nextBlock());
    }
  }

  private void writeBlock(byte[] plaintext) {
    byte[] block;
    try {
      block = transport.encrypt(plaintext);
    } catch (NoiseException e) {
      onFailure.accept(
          new SealpostException(ClientError.PROTOCOL, "the session cannot encrypt more", e));
      return;
    }
    ws.writeFinalBinaryFrame(Buffer.buffer(block));
  }
}
