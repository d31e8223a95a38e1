package org.sealpost.relay;

/**
 * The relay could not start. The message names the file or setting involved and never contains key
 * material.
 */
public final class RelayStartupException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final StartupError error;

  public RelayStartupException(StartupError error, String message) {
    super(message);
    this.error = error;
  }

  public RelayStartupException(StartupError error, String message, Throwable cause) {
    super(message, cause);
    this.error = error;
  }

  public StartupError error() {
    return error;
  }
}
