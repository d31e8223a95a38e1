package org.sealpost.relay.protocol;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;
import java.util.function.BooleanSupplier;
import org.sealpost.proto.codec.BlockCodec;
import org.sealpost.proto.codec.BlockException;
import org.sealpost.proto.codec.FramePacker;
import org.sealpost.proto.crypto.noise.NoiseTransport;
import org.sealpost.proto.v1.Frame;
import org.sealpost.relay.transport.CloseReason;
import org.sealpost.relay.transport.Session;

/**
 * The outgoing side of one session: frames that become ready are packed into the current block (by
 * proto's {@link FramePacker}), and the block is encrypted and sent at the end of the current
 * event-loop task (one flush is scheduled when the first frame is queued), or as soon as it is
 * full. So replies to a block of 200 Subscribes travel in one or a few blocks, not 200.
 *
 * <p>Only used on the session's context: blocks are encrypted in the order they are written, which
 * is what keeps Noise nonces in wire order. Finished commands are reported to the {@link Session}
 * only after the block carrying their reply was handed to it, so a draining connection never closes
 * with a reply still unsent.
 *
 * <p>Constant-rate mode (issue 10, {@link #pace}): from the session's first Subscribe on, blocks
 * leave only on the session's clock, exactly one every T: the oldest block waiting, else the frames
 * queued, else a cover block (protocol.md §3.1). Pushes then wait for room in the next ticks.
 *
 * <p>Coalescing (issue 13, {@code coalesceMillis} &gt; 0, outside constant-rate mode): at the end
 * of a task, an open block that is still mostly padding (more than half of it free: only small
 * replies such as {@code Ok}, never an envelope) waits up to {@code coalesceMillis} for more frames
 * before it is sealed, so the Oks of Sends that complete a few milliseconds apart share one block.
 * It waits only while company is expected ({@link #companyWhen}: other commands of the session are
 * still in flight), so a lone reply is never delayed. A block that fills up, or gets past half full
 * (a push joins), leaves at once; no frame waits past the bound.
 */
final class Outbox {
  private final Session session;
  private final NoiseTransport transport;
  private final FramePacker packer;
  private final ProtocolMetrics metrics;
  private final long maxBlocks;
  private int finishedCommands;
  private boolean flushScheduled;
  private boolean closed;
  // issue 10: constant-rate sessions
  private static final int PACED_ROOM = 2;
  private final ArrayDeque<byte[]> pacedBlocks = new ArrayDeque<>(PACED_ROOM);
  private long paceTimer = -1;
  private Runnable afterTick;
  // issue 13: small replies wait a bounded time for company
  private final long coalesceMillis;
  private final int mostlyPadding;
  private long holdTimer = -1;
  private boolean holdExpired;
  private BooleanSupplier companyExpected = () -> true;

  Outbox(
      Session session,
      NoiseTransport transport,
      BlockCodec codec,
      ProtocolMetrics metrics,
      long maxBlocks) {
    this(session, transport, codec, metrics, maxBlocks, 0);
  }

  /**
   * @param coalesceMillis how long a block that is mostly padding may wait for more frames; 0 = it
   *     leaves at the end of the task
   */
  Outbox(
      Session session,
      NoiseTransport transport,
      BlockCodec codec,
      ProtocolMetrics metrics,
      long maxBlocks,
      long coalesceMillis) {
    this.session = session;
    this.transport = transport;
    this.packer = new FramePacker(codec);
    this.metrics = metrics;
    this.maxBlocks = maxBlocks;
    this.coalesceMillis = coalesceMillis;
    this.mostlyPadding = codec.capacity() / 2;
  }

  /**
   * Whether frames are about to follow (issue 13): a mostly empty block waits for company only
   * while this says so; by default always.
   */
  void companyWhen(BooleanSupplier expected) {
    this.companyExpected = expected;
  }

  /** Queues a frame for the next block; a block it completes is sent at once. */
  void add(Frame frame) {
    if (closed) {
      return;
    }
    try {
      packer.add(frame);
    } catch (BlockException e) {
      // every frame the relay builds has bounded fields that fit into a block
      throw new IllegalStateException("relay frame does not fit a block: " + e.error(), e);
    }
    for (byte[] full = packer.pollFull(); full != null && !closed; full = packer.pollFull()) {
      if (paced()) {
        pacedBlocks.add(full); // bounded: pushes wait for room, replies for their commands
      } else {
        send(full);
      }
    }
    scheduleFlush();
  }

  /** A command was answered; reported to the session with the block that carries its reply. */
  void commandFinished() {
    finishedCommands++;
    scheduleFlush();
  }

  /** Whether the connection can take optional output (pushes) now. */
  boolean writable() {
    return !closed && session.writable() && (!paced() || pacedBlocks.size() < PACED_ROOM);
  }

  /** Drops everything queued; later frames are ignored. */
  void close() {
    closed = true;
    packer.clear();
    pacedBlocks.clear();
    afterTick = null;
    cancelHold();
    if (paceTimer >= 0) {
      session.context().owner().cancelTimer(paceTimer);
      paceTimer = -1;
    }
  }

  /** Starts constant-rate mode: one block every {@code periodMillis} from now on. Idempotent. */
  void pace(long periodMillis) {
    if (closed || paced()) {
      return;
    }
    paceTimer = session.context().owner().setPeriodic(periodMillis, id -> tick());
  }

  boolean paced() {
    return paceTimer >= 0;
  }

  /** Runs {@code action} after the next tick (when pushes may have room again). */
  void afterTick(Runnable action) {
    afterTick = action;
  }

  private void tick() {
    if (closed) {
      return;
    }
    byte[] block = pacedBlocks.poll();
    send(block != null ? block : packer.nextBlock()); // a cover block when nothing is queued
    if (!closed && pacedBlocks.isEmpty() && packer.isEmpty()) {
      reportFinished();
    }
    Runnable action = afterTick;
    afterTick = null;
    if (action != null && !closed) {
      action.run();
    }
  }

  private void scheduleFlush() {
    if (!flushScheduled) {
      flushScheduled = true;
      session.context().runOnContext(v -> flush());
    }
  }

  void flush() {
    flushScheduled = false;
    if (paced()) {
      if (pacedBlocks.isEmpty() && packer.isEmpty()) {
        reportFinished();
      }
      return; // blocks leave on the clock
    }
    while (!closed && packer.hasFull()) {
      send(packer.pollFull());
    }
    if (!closed && !packer.isEmpty()) {
      if (holdsForCompany()) {
        return; // reported with the block that carries the replies
      }
      send(packer.nextBlock());
    }
    if (closed) {
      return;
    }
    cancelHold();
    reportFinished();
  }

  /**
   * Whether the open block waits for company: coalescing is on, the block is mostly padding, and
   * its time is not up. Arms the one timer that ends the wait.
   */
  private boolean holdsForCompany() {
    if (coalesceMillis <= 0
        || packer.openRemaining() <= mostlyPadding
        || !companyExpected.getAsBoolean()) {
      return false;
    }
    if (holdExpired) {
      return false; // the bound is reached
    }
    if (holdTimer < 0) {
      holdTimer =
          session
              .context()
              .owner()
              .setTimer(
                  coalesceMillis,
                  id -> {
                    if (holdTimer == id) {
                      holdTimer = -1;
                      holdExpired = true;
                      flush();
                      holdExpired = false;
                    }
                  });
    }
    return true;
  }

  private void cancelHold() {
    if (holdTimer >= 0) {
      session.context().owner().cancelTimer(holdTimer);
    }
    holdTimer = -1;
  }

  /** Sends everything queued now, paced or not: the last blocks before the relay closes. */
  void drain() {
    cancelHold();
    while (!closed && !pacedBlocks.isEmpty()) {
      send(pacedBlocks.poll());
    }
    while (!closed && !packer.isEmpty()) {
      send(packer.nextBlock());
    }
  }

  private void reportFinished() {
    if (finishedCommands > 0 && session.isOpen()) {
      int n = finishedCommands;
      finishedCommands = 0;
      session.commandsFinished(n);
    }
  }

  private void send(byte[] plaintext) {
    if (!session.isOpen() || transport.isDestroyed()) {
      // issue 16: a flush scheduled before the session closed (or before a block that did not
      // decrypt destroyed the transport) runs after it: nothing more is sent
      close();
      return;
    }
    metrics.payloadOut(BlockCodec.payloadLength(plaintext));
    if (transport.blocksSent() >= maxBlocks) {
      close();
      session.close(CloseReason.SESSION_ENDED);
      return;
    }
    byte[] block = transport.encrypt(plaintext);
    if (!session.send(Buffer.buffer(block))) {
      close(); // the connection is gone or was dropped as a slow reader
    }
  }
}
