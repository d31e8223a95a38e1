package org.sealpost.relay.metrics;

import java.util.Locale;

/** The {@code reason} tag of {@code sealpost.upgrades.rejected}: a closed set. */
public enum UpgradeRejection {
  /** A WebSocket upgrade on a path other than {@code /v1}. */
  WRONG_PATH,
  /** A plain HTTP request (not a WebSocket upgrade). */
  NOT_WEBSOCKET;

  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
