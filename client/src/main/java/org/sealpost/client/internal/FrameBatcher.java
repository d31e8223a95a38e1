package org.sealpost.client.internal;

import org.sealpost.proto.codec.BlockCodec;
import org.sealpost.proto.codec.BlockException;
import org.sealpost.proto.codec.FramePacker;
import org.sealpost.proto.v1.Frame;

/**
 * Packs queued outgoing frames into as few block plaintexts as they need, in order: a batch of
 * 10,000 Subscribe commands takes about 50 blocks rather than 10,000. The packing is proto's {@link
 * FramePacker}, shared with the relay; this class is what the session asks for its next block (at
 * the end of a task, or on each constant-rate tick). Not thread-safe: one connection's context uses
 * it.
 */
final class FrameBatcher {
  private final FramePacker packer;

  FrameBatcher(BlockCodec codec) {
    this.packer = new FramePacker(codec);
  }

  /**
   * Queues a frame.
   *
   * @throws BlockException if the frame can never fit into a block of this codec
   */
  void add(Frame frame) throws BlockException {
    packer.add(frame);
  }

  boolean isEmpty() {
    return packer.isEmpty();
  }

  int queued() {
    return packer.queuedFrames();
  }

  /** The next block plaintext, with as many queued frames as fit; a cover block if none. */
  byte[] nextBlock() {
    return packer.nextBlock();
  }

  BlockCodec codec() {
    return packer.codec();
  }
}
