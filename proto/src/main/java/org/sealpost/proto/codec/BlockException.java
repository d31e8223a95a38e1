package org.sealpost.proto.codec;

import java.util.Objects;

/**
 * A block, frame or recipient command that cannot be decoded or encoded. The message names the rule
 * that was broken and at most sizes and offsets, never the bytes themselves.
 */
public final class BlockException extends Exception {
  private static final long serialVersionUID = 1L;

  private final BlockError error;

  public BlockException(BlockError error, String message) {
    super(Objects.requireNonNull(error, "error") + ": " + message);
    this.error = error;
  }

  public BlockException(BlockError error, String message, Throwable cause) {
    super(Objects.requireNonNull(error, "error") + ": " + message, cause);
    this.error = error;
  }

  public BlockError error() {
    return error;
  }
}
