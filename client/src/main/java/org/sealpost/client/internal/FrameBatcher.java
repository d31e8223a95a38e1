package org.sealpost.client.internal;

import java.util.ArrayDeque;
import org.sealpost.proto.codec.BlockCodec;
import org.sealpost.proto.codec.BlockException;
import org.sealpost.proto.codec.BlockWriter;
import org.sealpost.proto.v1.Frame;

/**
 * Packs queued outgoing frames into as few block plaintexts as they need, in order: a batch of
 * 10,000 Subscribe commands takes about 50 blocks rather than 10,000. Not thread-safe: one
 * connection's context uses it.
 */
final class FrameBatcher {
  private final BlockCodec codec;
  private final BlockWriter writer;
  private final ArrayDeque<Frame> queue = new ArrayDeque<>();

  FrameBatcher(BlockCodec codec) {
    this.codec = codec;
    this.writer = codec.newWriter();
  }

  /**
   * Queues a frame.
   *
   * @throws BlockException if the frame can never fit into a block of this codec
   */
  void add(Frame frame) throws BlockException {
    int size = frame.getSerializedSize();
    if (size == 0 || size > codec.maxFrameSize()) {
      throw new BlockException(
          org.sealpost.proto.codec.BlockError.FRAME_TOO_LARGE,
          "frame of " + size + " bytes does not fit into a block");
    }
    queue.add(frame);
  }

  boolean isEmpty() {
    return queue.isEmpty();
  }

  int queued() {
    return queue.size();
  }

  /** The next block plaintext, with as many queued frames as fit; a cover block if none. */
  byte[] nextBlock() {
    byte[] block = new byte[codec.capacity()];
    writer.begin(block, 0);
    try {
      while (!queue.isEmpty() && writer.tryAdd(queue.peek())) {
        queue.poll();
      }
    } catch (BlockException e) {
      // add() admitted only frames that fit an empty block
      throw new IllegalStateException("a queued frame does not fit a block", e);
    }
    writer.finish();
    return block;
  }

  BlockCodec codec() {
    return codec;
  }
}
