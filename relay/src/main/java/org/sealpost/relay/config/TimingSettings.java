package org.sealpost.relay.config;

import java.time.Duration;
import java.util.Optional;

/**
 * The timing defences of issue 10 (DESIGN §5), all off by default. The leakage lab measures what
 * each costs and buys (docs/threat-model.md).
 *
 * @param delayMean mean of the exponential delay before a stored envelope becomes deliverable; zero
 *     = no delay
 * @param delayMax cap on that delay, if any
 */
public record TimingSettings(Duration delayMean, Optional<Duration> delayMax) {
  /** Every defence off. */
  public static final TimingSettings OFF = new TimingSettings(Duration.ZERO, Optional.empty());

  public TimingSettings {
    if (delayMean.isNegative()) {
      throw new IllegalArgumentException("negative delay mean");
    }
  }

  /** Whether envelopes are delayed. */
  public boolean delays() {
    return !delayMean.isZero();
  }
}
