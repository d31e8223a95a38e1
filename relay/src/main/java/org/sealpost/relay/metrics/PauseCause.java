package org.sealpost.relay.metrics;

import java.util.Locale;

/** The {@code cause} tag of {@code sealpost.connections.read.pauses}: a closed set. */
public enum PauseCause {
  /** Half of {@code connection.max-outbound-blocks} is waiting to be written. */
  OUTBOUND,
  /** {@code connection.max-outstanding-commands} commands are in flight. */
  COMMANDS,
  /**
   * The process-wide {@code connection.buffer-budget} is nearly used up: every connection pauses.
   */
  BUDGET;

  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
