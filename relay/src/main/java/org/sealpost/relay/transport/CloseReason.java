package org.sealpost.relay.transport;

import java.util.Locale;

/**
 * Why a connection ended: a closed set, used as the {@code reason} tag of {@code
 * sealpost.connections.closed}. Each maps to the WebSocket close code sent, where one is sent.
 */
public enum CloseReason {
  /** The client closed the connection: a close frame, a TCP close or a reset. */
  CLIENT_CLOSED((short) 1000),
  /** The handshake did not complete within {@code connection.handshake-deadline}. */
  HANDSHAKE_TIMEOUT((short) 1008),
  /** The session handler rejected the handshake. */
  HANDSHAKE_FAILED((short) 1008),
  /** No block arrived within {@code connection.idle-timeout}. */
  IDLE_TIMEOUT((short) 1000),
  /** A text, control or fragmented frame, or a message that is not exactly B bytes. */
  PROTOCOL_VIOLATION((short) 1008),
  /** The client did not read fast enough: its outbound buffer passed its bound. */
  SLOW_READER((short) 1008),
  /**
   * Output waited, unwritable, for longer than {@code connection.write-stall-timeout}: the client
   * stopped reading, whatever it still sends.
   */
  WRITE_STALLED((short) 1008),
  /**
   * Cut to keep the process within {@code connection.buffer-budget}: this connection had the most
   * output buffered when the budget ran out.
   */
  BUFFER_BUDGET((short) 1013),
  /**
   * A block that did not decrypt, or decrypted and did not decode (protocol §2.6, §3.2): 1008, like
   * every other close for something the client did wrong, so the code does not tell which check
   * failed.
   */
  BAD_BLOCK((short) 1008),
  /** The session handler ended the session normally (its block limit was reached). */
  SESSION_ENDED((short) 1000),
  /** The relay is shutting down. */
  SHUTDOWN((short) 1001),
  /** An unexpected failure inside the relay. */
  INTERNAL_ERROR((short) 1011);

  private final short webSocketCode;

  CloseReason(short webSocketCode) {
    this.webSocketCode = webSocketCode;
  }

  /** The WebSocket close status code sent to the client. */
  public short webSocketCode() {
    return webSocketCode;
  }

  /** The metric tag value, e.g. {@code slow_reader}. */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
