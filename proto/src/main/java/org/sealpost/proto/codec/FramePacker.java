package org.sealpost.proto.codec;

import java.util.ArrayDeque;
import org.sealpost.proto.v1.Frame;

/**
 * The one frame-to-block packer of every sender (docs/protocol.md §3.1): the relay's per-session
 * outbox, the client's batcher, a relay-to-relay session. Frames go, in order, into the open block
 * while they fit (in bytes and in frame slots, {@link BlockCodec#maxFrames()}); the first frame
 * that does not fit completes the open block, which becomes a <em>full</em> block waiting to be
 * taken, and opens the next one. A frame is never split.
 *
 * <pre>{@code
 * packer.add(frame);                                // may complete the open block
 * for (byte[] b; (b = packer.pollFull()) != null; ) send(b);
 * ...
 * while (!packer.isEmpty()) send(packer.nextBlock());  // end of the task: the open block too
 * }</pre>
 *
 * <p>Every block handed out is a new array of exactly {@link BlockCodec#capacity()} bytes: header,
 * whole frames, zero padding; the caller owns it (and may encrypt it in place). No I/O, no clock,
 * no threads: when to send the open block (end of an event-loop task, a constant-rate tick) is the
 * caller's decision. Not thread-safe: one connection's context uses it.
 */
public final class FramePacker {
  private final BlockCodec codec;
  private final BlockWriter writer;
  private final ArrayDeque<Packed> full = new ArrayDeque<>();
  private byte[] open;
  private int framesInFull;

  private record Packed(byte[] block, int frames) {}

  /** A packer for blocks of {@code codec}: its capacity and its frames-per-block limit. */
  public FramePacker(BlockCodec codec) {
    this.codec = codec;
    this.writer = codec.newWriter();
  }

  /**
   * Packs a frame after those already added. If it does not fit into the open block, that block is
   * completed (see {@link #pollFull()}) and the frame opens the next one.
   *
   * @throws BlockException {@link BlockError#FRAME_TOO_LARGE} if the frame is larger than any block
   *     can hold ({@link BlockCodec#maxFrameSize()}), {@link BlockError#BAD_FRAME_LENGTH} if it
   *     serializes to nothing; the packer is unchanged then
   */
  public void add(Frame frame) throws BlockException {
    if (open != null && writer.tryAdd(frame)) {
      return;
    }
    // checks the frame before anything changes: an oversized frame must not complete the block
    BlockWriter.checkFrameSize(frame, codec.capacity());
    completeOpen();
    open = new byte[codec.capacity()];
    writer.begin(open, 0);
    if (!writer.tryAdd(frame)) {
      throw new IllegalStateException("an empty block refused a frame that fits");
    }
  }

  /** The oldest full block (one the next frame did not fit into), or {@code null} if none. */
  public byte[] pollFull() {
    Packed p = full.poll();
    if (p == null) {
      return null;
    }
    framesInFull -= p.frames();
    return p.block();
  }

  /**
   * The next block to send: the oldest full block, else the open block (completed now), else a
   * cover block (no frames, protocol.md §3.1) when nothing is queued.
   */
  public byte[] nextBlock() {
    byte[] block = pollFull();
    if (block != null) {
      return block;
    }
    if (open != null) {
      completeOpen();
      return pollFull();
    }
    return codec.coverBlock();
  }

  /** True if no frame is waiting, in a full block or in the open one. */
  public boolean isEmpty() {
    return full.isEmpty() && open == null;
  }

  // issue 13: what a sender needs to decide whether the open block may wait for company
  /** True if a full block is waiting (one the next frame did not fit into). */
  public boolean hasFull() {
    return !full.isEmpty();
  }

  /** Bytes still free in the open block, or {@code -1} if no block is open. */
  public int openRemaining() {
    return open == null ? -1 : writer.remaining();
  }

  /** Frames added and not yet handed out in a block. */
  public int queuedFrames() {
    return framesInFull + (open == null ? 0 : writer.frameCount());
  }

  /** Drops every queued frame (a closed connection). */
  public void clear() {
    full.clear();
    framesInFull = 0;
    open = null;
  }

  /** The codec whose blocks this packer writes. */
  public BlockCodec codec() {
    return codec;
  }

  private void completeOpen() {
    if (open == null) {
      return;
    }
    int frames = writer.frameCount();
    writer.finish();
    full.add(new Packed(open, frames));
    framesInFull += frames;
    open = null;
  }
}
