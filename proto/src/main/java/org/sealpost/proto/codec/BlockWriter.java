package org.sealpost.proto.codec;

import com.google.protobuf.CodedOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;
import org.sealpost.proto.v1.Frame;

/**
 * Packs frames into one block plaintext at a time, writing straight into a caller's buffer (no
 * copy, no allocation besides protobuf's small output stream). Obtain one from {@link
 * BlockCodec#newWriter()}; reuse it for block after block; not thread-safe. Senders that queue
 * frames and hand out whole blocks use {@link FramePacker}, which is built on this writer.
 *
 * <pre>{@code
 * writer.begin(buf, 0);
 * while (pending.peek() != null && writer.tryAdd(pending.peek())) pending.poll();
 * writer.finish();          // buf[0, capacity) is now a complete block plaintext
 * }</pre>
 */
public final class BlockWriter {
  private final int capacity;
  private final int maxFrames;

  private byte[] target;
  private int start;
  private int position;
  private int frames;

  BlockWriter(int capacity, int maxFrames) {
    this.capacity = capacity;
    this.maxFrames = maxFrames;
  }

  /** Starts a new, empty block in {@code target[offset, offset + capacity)}. */
  public void begin(byte[] target, int offset) {
    Objects.requireNonNull(target, "target");
    if (offset < 0 || offset > target.length - capacity) {
      throw new IndexOutOfBoundsException(
          "target has no room for a block of " + capacity + " bytes at offset " + offset);
    }
    this.target = target;
    this.start = offset;
    this.position = offset + BlockCodec.HEADER_SIZE;
    this.frames = 0;
  }

  /**
   * Appends a frame if it fits into the current block.
   *
   * @return false if the block has no room (or no frame slot) left for it: finish this block and
   *     add the frame to the next one
   * @throws BlockException {@link BlockError#FRAME_TOO_LARGE} if the frame is larger than any block
   *     can hold ({@link BlockCodec#maxFrameSize()})
   */
  public boolean tryAdd(Frame frame) throws BlockException {
    checkStarted();
    int size = checkFrameSize(frame, capacity);
    if (frames >= maxFrames || size + BlockCodec.FRAME_HEADER_SIZE > remaining()) {
      return false;
    }
    BlockCodec.writeUint16(target, position, size);
    position += BlockCodec.FRAME_HEADER_SIZE;
    CodedOutputStream out = CodedOutputStream.newInstance(target, position, size);
    try {
      frame.writeTo(out);
      out.checkNoSpaceLeft();
    } catch (IOException | IllegalStateException e) {
      throw new IllegalStateException("frame did not serialize to its announced size", e);
    }
    position += size;
    frames++;
    return true;
  }

  /**
   * The serialized size of a frame that fits into an empty block of {@code capacity} bytes.
   *
   * @throws BlockException FRAME_TOO_LARGE or BAD_FRAME_LENGTH, as {@link #tryAdd}
   */
  static int checkFrameSize(Frame frame, int capacity) throws BlockException {
    int size = frame.getSerializedSize();
    int maxFrameSize = capacity - BlockCodec.HEADER_SIZE - BlockCodec.FRAME_HEADER_SIZE;
    if (size > maxFrameSize) {
      throw new BlockException(
          BlockError.FRAME_TOO_LARGE,
          "frame of " + size + " bytes, at most " + maxFrameSize + " fit into a block");
    }
    if (size == 0) {
      // an all-default Frame serializes to nothing, and a frame length of 0 is invalid
      throw new BlockException(BlockError.BAD_FRAME_LENGTH, "frame serializes to 0 bytes");
    }
    return size;
  }

  /** Bytes still free in the current block for frames, counting their 2-byte length prefixes. */
  public int remaining() {
    checkStarted();
    return start + capacity - position;
  }

  /** Frames written into the current block so far. */
  public int frameCount() {
    return frames;
  }

  /**
   * Completes the current block: writes the header and zeroes the padding, whatever the buffer held
   * before. The writer must be {@link #begin begun} again before the next frame.
   *
   * @return the block length, {@code capacity}
   */
  public int finish() {
    checkStarted();
    int payloadLength = position - start - BlockCodec.HEADER_SIZE;
    target[start] = BlockCodec.VERSION;
    BlockCodec.writeUint16(target, start + 1, payloadLength);
    Arrays.fill(target, position, start + capacity, (byte) 0);
    target = null;
    return capacity;
  }

  private void checkStarted() {
    if (target == null) {
      throw new IllegalStateException("begin() a block first");
    }
  }
}
