package org.sealpost.relay.transport;

import java.util.Locale;

/**
 * Why a connection ended: a closed set, used as the {@code reason} tag of {@code
 * sealpost.connections.closed}. Each maps to the WebSocket close code sent, where one is sent.
 */
public enum CloseReason {
  /** The client closed the connection or it was reset. */
  PEER_CLOSED((short) 1000),
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
