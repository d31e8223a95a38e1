package org.sealpost.client;

import java.util.Objects;
import java.util.Optional;
import org.sealpost.proto.v1.ErrorCode;

/**
 * A failed client operation, with a closed {@link ClientError} code. Messages name the operation
 * and the relay's host, never keys, queue IDs, tokens or envelope bytes.
 */
public final class SealpostException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ClientError error;
  private final transient ErrorCode relayCode;

  public SealpostException(ClientError error, String message) {
    this(error, message, null, null);
  }

  public SealpostException(ClientError error, String message, Throwable cause) {
    this(error, message, null, cause);
  }

  public SealpostException(
      ClientError error, String message, ErrorCode relayCode, Throwable cause) {
    super(message, cause);
    this.error = Objects.requireNonNull(error, "error");
    this.relayCode = relayCode;
  }

  public ClientError error() {
    return error;
  }

  /** The relay's error code when the relay refused the command. */
  public Optional<ErrorCode> relayCode() {
    return Optional.ofNullable(relayCode);
  }
}
