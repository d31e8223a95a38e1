package org.sealpost.relay.metrics;

import java.util.Locale;

/** The {@code outcome} tag of {@code sealpost.handshakes}: a closed set. */
public enum HandshakeOutcome {
  /** The session handler reported a completed handshake. */
  COMPLETED,
  /** The handshake deadline passed first. */
  TIMEOUT,
  /** The session handler rejected the handshake. */
  FAILED,
  /** The connection closed for another reason before the handshake completed. */
  ABANDONED;

  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
