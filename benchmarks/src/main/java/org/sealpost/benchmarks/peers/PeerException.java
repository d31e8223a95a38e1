package org.sealpost.benchmarks.peers;

/** A failure talking to or controlling a peer, with a closed set of codes. */
public final class PeerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What went wrong. */
  public enum Code {
    /** The start or stop script failed. */
    SCRIPT_FAILED,
    /** A connection or login to the peer failed. */
    CONNECT_FAILED,
    /** The peer refused or failed to accept a message. */
    SEND_FAILED,
    /** The raw storage probe failed. */
    STORAGE_FAILED
  }

  private final Code code;

  public PeerException(Code code, String message, Throwable cause) {
    super(code + ": " + message, cause);
    this.code = code;
  }

  public PeerException(Code code, String message) {
    this(code, message, null);
  }

  public Code code() {
    return code;
  }
}
