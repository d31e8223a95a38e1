package org.sealpost.relay.config;

import java.util.Locale;
import java.util.Objects;

/**
 * Proof of work for CreateQueue (issue 12, protocol §4.3): abuse control without identities.
 *
 * @param mode when the relay asks for it
 * @param bits difficulty: a client hashes 2^bits times on average (1..32)
 * @param loadPerSecond under {@link Mode#UNDER_LOAD}: CreateQueue commands per second, relay-wide
 *     and averaged over the last ten seconds, at which new sessions start needing a proof
 */
public record PowSettings(Mode mode, int bits, double loadPerSecond) {
  /** When CreateQueue needs a proof of work. */
  public enum Mode {
    /** Never (the default). */
    OFF,
    /** On every session. */
    ALWAYS,
    /** On sessions that start while CreateQueue load is at or above the threshold. */
    UNDER_LOAD;

    /** The configuration text: {@code off}, {@code always}, {@code under-load}. */
    public String text() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /** Off. */
  public static final PowSettings OFF = new PowSettings(Mode.OFF, 20, 5);

  public PowSettings {
    Objects.requireNonNull(mode, "mode");
    if (bits < 1 || bits > 32 || !(loadPerSecond > 0)) {
      throw new IllegalArgumentException("pow bits must be 1..32 and the load threshold positive");
    }
  }
}
