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
 * @param batchInterval T of timed batches: deliveries are released in rounds every T; zero = off
 * @param batchMin k: a round releases only when at least k envelopes were stored since the last
 * @param constantRate T of constant-rate sessions: a subscribed session gets exactly one block
 *     every T; zero = off
 */
public record TimingSettings(
    Duration delayMean,
    Optional<Duration> delayMax,
    Duration batchInterval,
    int batchMin,
    Duration constantRate) {
  /** Every defence off. */
  public static final TimingSettings OFF =
      new TimingSettings(Duration.ZERO, Optional.empty(), Duration.ZERO, 1, Duration.ZERO);

  public TimingSettings {
    if (delayMean.isNegative()
        || batchInterval.isNegative()
        || batchMin < 1
        || constantRate.isNegative()) {
      throw new IllegalArgumentException("negative delay or interval, or a batch below 1");
    }
  }

  /** Only a delivery delay. */
  public static TimingSettings delay(Duration mean, Optional<Duration> max) {
    return new TimingSettings(mean, max, Duration.ZERO, 1, Duration.ZERO);
  }

  /** Only timed batches. */
  public static TimingSettings batches(Duration interval, int min) {
    return new TimingSettings(Duration.ZERO, Optional.empty(), interval, min, Duration.ZERO);
  }

  /** Whether deliveries are released in rounds. */
  public boolean batches() {
    return !batchInterval.isZero();
  }

  /** Whether envelopes are delayed. */
  public boolean delays() {
    return !delayMean.isZero();
  }
}
