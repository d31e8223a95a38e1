package org.sealpost.relay.protocol;

import io.vertx.core.buffer.Buffer;
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

  Outbox(
      Session session,
      NoiseTransport transport,
      BlockCodec codec,
      ProtocolMetrics metrics,
      long maxBlocks) {
    this.session = session;
    this.transport = transport;
    this.packer = new FramePacker(codec);
    this.metrics = metrics;
    this.maxBlocks = maxBlocks;
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
      send(full);
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
    return !closed && session.writable();
  }

  /** Drops everything queued; later frames are ignored. */
  void close() {
    closed = true;
    packer.clear();
  }

  private void scheduleFlush() {
    if (!flushScheduled) {
      flushScheduled = true;
      session.context().runOnContext(v -> flush());
    }
  }

  void flush() {
    flushScheduled = false;
    while (!closed && !packer.isEmpty()) {
      send(packer.nextBlock());
    }
    if (closed) {
      return;
    }
    if (finishedCommands > 0 && session.isOpen()) {
      int n = finishedCommands;
      finishedCommands = 0;
      session.commandsFinished(n);
    }
  }

  private void send(byte[] plaintext) {
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
