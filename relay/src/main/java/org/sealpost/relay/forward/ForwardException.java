package org.sealpost.relay.forward;

import org.sealpost.proto.v1.ErrorCode;

/**
 * A forwarded request that ends in a protocol error: the destination cannot be reached or did not
 * answer in time ({@code FORWARD}), the pool is full ({@code RATE}), or the destination refused the
 * sealed request before executing it ({@code AUTH}, {@code REPLAY}, ...). The message names only
 * the code: never an address, never a byte of the request.
 */
public final class ForwardException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient ErrorCode code;

  public ForwardException(ErrorCode code) {
    super("forward failed: " + code, null, false, false);
    this.code = code;
  }

  /** The code the client gets. */
  public ErrorCode code() {
    return code;
  }

  static ForwardException unreachable() {
    return new ForwardException(ErrorCode.ERROR_CODE_FORWARD);
  }

  static ForwardException busy() {
    return new ForwardException(ErrorCode.ERROR_CODE_RATE);
  }
}
