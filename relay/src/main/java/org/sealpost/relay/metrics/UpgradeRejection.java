package org.sealpost.relay.metrics;

import java.util.Locale;

/**
 * The {@code reason} tag of {@code sealpost.upgrades.rejected}: a closed set of the ways a TCP
 * connection ends before it became a WebSocket on {@code /v1}.
 */
public enum UpgradeRejection {
  /** A WebSocket upgrade on a path other than {@code /v1}. */
  WRONG_PATH,
  /** A plain HTTP request (not a WebSocket upgrade). */
  NOT_WEBSOCKET,
  /** A request Vert.x could not parse, or a WebSocket upgrade it refused (bad headers, version). */
  INVALID_REQUEST,
  /** No WebSocket upgrade within {@code connection.handshake-deadline} of the TCP accept. */
  TIMEOUT,
  /** The TLS handshake failed or timed out. */
  TLS_FAILED;

  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
