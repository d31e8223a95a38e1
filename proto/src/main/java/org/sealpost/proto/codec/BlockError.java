package org.sealpost.proto.codec;

import org.sealpost.proto.v1.ErrorCode;

/** Why a block, a frame or a recipient command could not be decoded or encoded. Closed set. */
public enum BlockError {
  /** The block is not exactly the plaintext capacity of this codec long. */
  WRONG_SIZE(ErrorCode.ERROR_CODE_BLOCK),
  /** The version byte is not {@link BlockCodec#VERSION}. */
  UNKNOWN_VERSION(ErrorCode.ERROR_CODE_BLOCK),
  /** payload_length is larger than the room the block has for a payload. */
  LENGTH_BEYOND_CAPACITY(ErrorCode.ERROR_CODE_BLOCK),
  /** A byte after the payload is not zero. */
  NONZERO_PADDING(ErrorCode.ERROR_CODE_BLOCK),
  /** A frame length is 0, or the frame (or its length prefix) runs past the payload. */
  BAD_FRAME_LENGTH(ErrorCode.ERROR_CODE_BLOCK),
  /** The block holds more frames than the receiver accepts (RelayHello.max_frames_per_block). */
  TOO_MANY_FRAMES(ErrorCode.ERROR_CODE_BLOCK),
  /** A frame's bytes are not a valid {@code Frame} protobuf. */
  MALFORMED_FRAME(ErrorCode.ERROR_CODE_BLOCK),
  /** The opaque bytes of a RecipientCommand are not a valid {@code RecipientOp} protobuf. */
  MALFORMED_COMMAND(ErrorCode.ERROR_CODE_SYNTAX),
  /** Encoding: a single frame is larger than the block can ever hold. */
  FRAME_TOO_LARGE(ErrorCode.ERROR_CODE_SIZE),
  /** Encoding: the frames given for one block do not fit into it together. */
  BLOCK_FULL(ErrorCode.ERROR_CODE_SIZE);

  private final ErrorCode errorCode;

  BlockError(ErrorCode errorCode) {
    this.errorCode = errorCode;
  }

  /** The protocol error a relay answers with when it meets this problem in a client's input. */
  public ErrorCode errorCode() {
    return errorCode;
  }
}
