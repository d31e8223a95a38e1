package org.sealpost.relay.queue;

import java.util.Objects;
import org.sealpost.proto.v1.ErrorCode;

/**
 * A command refused for a protocol reason, carrying the error code the client gets. The message
 * names the rule, never an ID, a key or envelope bytes. No stack trace: these are expected
 * outcomes, not bugs.
 */
public final class QueueException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  public QueueException(ErrorCode code, String message) {
    super(Objects.requireNonNull(code, "code") + ": " + message, null, false, false);
    this.code = code;
  }

  /** The protocol error code. */
  public ErrorCode code() {
    return code;
  }

  /** The uniform failure of an unknown queue, a bad MAC or a bad send token. */
  public static QueueException auth() {
    return new QueueException(ErrorCode.ERROR_CODE_AUTH, "not authorized");
  }
}
