package org.sealpost.proto.codec;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.DiscardUnknownFieldsParser;
import com.google.protobuf.Parser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.sealpost.proto.v1.Frame;
import org.sealpost.proto.v1.RecipientOp;

/**
 * Encodes and decodes block plaintexts (docs/protocol.md §3):
 *
 * <pre>
 * block   = version (1 byte, 0x01) ‖ payload_length (uint16) ‖ payload ‖ zero padding
 * payload = frame*
 * frame   = frame_length (uint16, ≥ 1) ‖ Frame protobuf (frame_length bytes)
 * </pre>
 *
 * A block plaintext is exactly {@link #capacity()} bytes: B − 16 in transport messages, B − 48
 * inside the two handshake messages. Instances are immutable and thread-safe; a {@link BlockWriter}
 * (from {@link #newWriter()}) and a {@link FramePacker} are not.
 *
 * <p>Decoding never allocates more than the block it reads: every length is checked against the
 * block before anything is read or allocated, and protobuf parsing is bounded in size and depth.
 */
public final class BlockCodec {
  /** The block format version this codec reads and writes. */
  public static final int VERSION = 0x01;

  /**
   * Default block size B: one client block plus its 8-byte WebSocket header (16367 bytes) fills one
   * TLS 1.3 record of the JDK's engine, which carries at most 16367 bytes of data.
   */
  public static final int DEFAULT_BLOCK_SIZE = 16_359;

  public static final int MIN_BLOCK_SIZE = 1024;
  public static final int MAX_BLOCK_SIZE = 65_535;

  /** Noise transport overhead: the AES-GCM tag. */
  public static final int TRANSPORT_OVERHEAD = 16;

  /** Noise handshake message overhead: ephemeral key (32) and AES-GCM tag (16). */
  public static final int HANDSHAKE_OVERHEAD = 48;

  /** Block header: version (1) and payload_length (2). */
  public static final int HEADER_SIZE = 3;

  /** Frame header: frame_length (2). */
  public static final int FRAME_HEADER_SIZE = 2;

  /** B − E: room in a block for everything but the envelope. */
  public static final int ENVELOPE_HEADROOM = 512;

  // Frame -> body -> (bytes only). Four leaves room for nothing but what v1 defines, so a
  // frame of nested unknown groups cannot make the parser recurse.
  private static final int RECURSION_LIMIT = 4;

  // Unknown fields are skipped, not kept: kept ones cost tens of bytes of objects per input byte,
  // which would let a block allocate many times its own size. v1 receivers ignore them anyway.
  private static final Parser<Frame> FRAME_PARSER = DiscardUnknownFieldsParser.wrap(Frame.parser());
  private static final Parser<RecipientOp> RECIPIENT_OP_PARSER =
      DiscardUnknownFieldsParser.wrap(RecipientOp.parser());

  // Compared against the padding with Arrays.mismatch, which the JIT vectorizes. Never written.
  private static final byte[] ZEROS = new byte[MAX_BLOCK_SIZE];

  private final int blockSize;
  private final int capacity;
  private final int maxFrames;

  private BlockCodec(int blockSize, int overhead, int maxFrames) {
    checkBlockSize(blockSize);
    this.blockSize = blockSize;
    this.capacity = blockSize - overhead;
    int possible = (capacity - HEADER_SIZE) / (FRAME_HEADER_SIZE + 1);
    if (maxFrames < 1) {
      throw new IllegalArgumentException("maxFrames must be at least 1");
    }
    this.maxFrames = Math.min(maxFrames, possible);
  }

  /** Codec for transport blocks (capacity B − 16), accepting as many frames as fit. */
  public static BlockCodec transport(int blockSize) {
    return new BlockCodec(blockSize, TRANSPORT_OVERHEAD, Integer.MAX_VALUE);
  }

  /** Codec for the payloads of the two handshake messages (capacity B − 48). */
  public static BlockCodec handshake(int blockSize) {
    return new BlockCodec(blockSize, HANDSHAKE_OVERHEAD, Integer.MAX_VALUE);
  }

  /**
   * A codec that also rejects blocks with more than {@code maxFrames} frames on decode, and whose
   * writers start a new block after {@code maxFrames} frames.
   */
  public BlockCodec withMaxFrames(int maxFrames) {
    return new BlockCodec(blockSize, blockSize - capacity, maxFrames);
  }

  /** Sealed envelope size E for block size B: B − 512. */
  public static int envelopeSize(int blockSize) {
    checkBlockSize(blockSize);
    return blockSize - ENVELOPE_HEADROOM;
  }

  /**
   * @throws IllegalArgumentException unless {@value #MIN_BLOCK_SIZE} ≤ blockSize ≤ {@value
   *     #MAX_BLOCK_SIZE}
   */
  public static void checkBlockSize(int blockSize) {
    if (blockSize < MIN_BLOCK_SIZE || blockSize > MAX_BLOCK_SIZE) {
      throw new IllegalArgumentException(
          "block size must be between " + MIN_BLOCK_SIZE + " and " + MAX_BLOCK_SIZE);
    }
  }

  /** B. */
  public int blockSize() {
    return blockSize;
  }

  /** The length of every block plaintext this codec reads and writes. */
  public int capacity() {
    return capacity;
  }

  /** The largest serialized Frame that fits into one block: capacity − 5. */
  public int maxFrameSize() {
    return capacity - HEADER_SIZE - FRAME_HEADER_SIZE;
  }

  /** The most frames this codec puts into, or accepts in, one block. */
  public int maxFrames() {
    return maxFrames;
  }

  /** A new, reusable writer for blocks of this codec. */
  public BlockWriter newWriter() {
    return new BlockWriter(capacity, maxFrames);
  }

  /** A new cover block: version byte, empty payload, zero padding. */
  public byte[] coverBlock() {
    byte[] block = new byte[capacity];
    block[0] = VERSION;
    return block;
  }

  /**
   * Encodes frames that must share one block.
   *
   * @throws BlockException {@link BlockError#FRAME_TOO_LARGE} if one frame can never fit, {@link
   *     BlockError#BLOCK_FULL} if they do not fit together
   */
  public byte[] encode(List<Frame> frames) throws BlockException {
    byte[] block = new byte[capacity];
    BlockWriter writer = newWriter();
    writer.begin(block, 0);
    for (Frame frame : frames) {
      if (!writer.tryAdd(frame)) {
        throw new BlockException(
            BlockError.BLOCK_FULL, frames.size() + " frames do not fit into one block");
      }
    }
    writer.finish();
    return block;
  }

  /** Encodes one frame into one block. */
  public byte[] encode(Frame frame) throws BlockException {
    return encode(List.of(frame));
  }

  /**
   * Packs frames, in order, into as few blocks as a greedy writer needs (a batch of Subscribe
   * commands, say). Returns no block for no frames.
   *
   * @throws BlockException {@link BlockError#FRAME_TOO_LARGE} if one frame can never fit
   */
  public List<byte[]> encodeAll(List<Frame> frames) throws BlockException {
    FramePacker packer = new FramePacker(this);
    for (Frame frame : frames) {
      packer.add(frame);
    }
    List<byte[]> blocks = new ArrayList<>();
    while (!packer.isEmpty()) {
      blocks.add(packer.nextBlock());
    }
    return blocks;
  }

  /**
   * The payload_length field of a block plaintext: the bytes of its frames with their length
   * prefixes (0 for a cover block). Reads the header only; the block is not validated.
   */
  public static int payloadLength(byte[] block) {
    return readUint16(block, 1);
  }

  /** Decodes a whole array as one block. */
  public List<Frame> decode(byte[] block) throws BlockException {
    return decode(block, 0, block.length);
  }

  /**
   * Decodes the block plaintext {@code block[offset, offset + length)}. The whole block is checked
   * before any frame is returned, so a bad block yields no frames at all. A cover block yields an
   * empty list.
   *
   * @throws BlockException for a block of the wrong length, an unknown version, a payload_length
   *     beyond capacity, non-zero padding, a bad frame length, too many frames, or a frame that is
   *     not a valid Frame protobuf
   */
  public List<Frame> decode(byte[] block, int offset, int length) throws BlockException {
    if (offset < 0 || length < 0 || offset > block.length - length) {
      throw new IndexOutOfBoundsException("range outside the array");
    }
    if (length != capacity) {
      throw new BlockException(
          BlockError.WRONG_SIZE, "block of " + length + " bytes, expected " + capacity);
    }
    int version = block[offset] & 0xFF;
    if (version != VERSION) {
      throw new BlockException(BlockError.UNKNOWN_VERSION, "block version " + version);
    }
    int payloadLength = readUint16(block, offset + 1);
    if (payloadLength > capacity - HEADER_SIZE) {
      throw new BlockException(
          BlockError.LENGTH_BEYOND_CAPACITY,
          "payload_length " + payloadLength + " beyond " + (capacity - HEADER_SIZE));
    }
    int payloadStart = offset + HEADER_SIZE;
    int payloadEnd = payloadStart + payloadLength;
    if (Arrays.mismatch(block, payloadEnd, offset + length, ZEROS, 0, offset + length - payloadEnd)
        != -1) {
      throw new BlockException(BlockError.NONZERO_PADDING, "padding is not all zero");
    }
    if (payloadLength == 0) {
      return List.of();
    }

    // First pass: frame boundaries only, so a block with bad lengths allocates nothing.
    int count = 0;
    for (int pos = payloadStart; pos < payloadEnd; ) {
      if (payloadEnd - pos < FRAME_HEADER_SIZE) {
        throw new BlockException(
            BlockError.BAD_FRAME_LENGTH, "frame length prefix cut off at payload offset " + pos);
      }
      int frameLength = readUint16(block, pos);
      if (frameLength == 0) {
        throw new BlockException(BlockError.BAD_FRAME_LENGTH, "frame " + count + " has length 0");
      }
      pos += FRAME_HEADER_SIZE;
      if (frameLength > payloadEnd - pos) {
        throw new BlockException(
            BlockError.BAD_FRAME_LENGTH,
            "frame " + count + " of " + frameLength + " bytes runs past the payload");
      }
      pos += frameLength;
      if (++count > maxFrames) {
        throw new BlockException(
            BlockError.TOO_MANY_FRAMES, "more than " + maxFrames + " frames in one block");
      }
    }

    Frame[] frames = new Frame[count];
    int pos = payloadStart;
    for (int i = 0; i < count; i++) {
      int frameLength = readUint16(block, pos);
      pos += FRAME_HEADER_SIZE;
      frames[i] = parseFrame(block, pos, frameLength, i);
      pos += frameLength;
    }
    return Collections.unmodifiableList(Arrays.asList(frames));
  }

  /**
   * Parses the opaque {@code command} bytes of a RecipientCommand, with the same bounds as frames.
   * Call it only after the MAC over these exact bytes has been verified.
   *
   * @throws BlockException {@link BlockError#MALFORMED_COMMAND}, answered with Error{SYNTAX}
   */
  public static RecipientOp parseRecipientOp(ByteString command) throws BlockException {
    try {
      CodedInputStream in = command.newCodedInput();
      in.setRecursionLimit(RECURSION_LIMIT);
      in.setSizeLimit(command.size());
      return RECIPIENT_OP_PARSER.parseFrom(in);
    } catch (IOException e) {
      throw new BlockException(
          BlockError.MALFORMED_COMMAND,
          "recipient command of "
              + command.size()
              + " bytes does not parse ("
              + e.getMessage()
              + ")");
    }
  }

  private static Frame parseFrame(byte[] block, int pos, int length, int index)
      throws BlockException {
    try {
      if (!FrameShape.isCompact(block, pos, length)) {
        throw new BlockException(
            BlockError.MALFORMED_FRAME,
            "frame " + index + " repeats a field, has two bodies, or holds a group");
      }
      CodedInputStream in = CodedInputStream.newInstance(block, pos, length);
      in.setRecursionLimit(RECURSION_LIMIT);
      in.setSizeLimit(length);
      return FRAME_PARSER.parseFrom(in);
    } catch (IOException e) {
      // InvalidProtocolBufferException messages are fixed strings, never the input bytes
      throw new BlockException(
          BlockError.MALFORMED_FRAME,
          "frame " + index + " of " + length + " bytes does not parse (" + e.getMessage() + ")");
    }
  }

  static int readUint16(byte[] b, int pos) {
    return ((b[pos] & 0xFF) << 8) | (b[pos + 1] & 0xFF);
  }

  static void writeUint16(byte[] b, int pos, int value) {
    b[pos] = (byte) (value >>> 8);
    b[pos + 1] = (byte) value;
  }
}
