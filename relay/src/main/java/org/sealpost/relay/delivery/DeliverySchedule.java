package org.sealpost.relay.delivery;

import java.security.SecureRandom;
import java.util.Objects;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import org.sealpost.relay.config.TimingSettings;

/**
 * When a stored envelope may be delivered (issue 10, DESIGN §5). Relay-wide and shared by every
 * session and the command path; holds nothing about any user.
 *
 * <p><b>Delivery delay:</b> each envelope gets an independent delay drawn from an exponential
 * distribution with mean d (optionally capped), so the order of deliveries no longer follows the
 * order of sends (a Poisson mix per envelope). The resulting time, in epoch milliseconds of the
 * wall clock, is stored with the envelope (sealed, store format 2) so that a restart neither loses
 * nor releases it early; the wall clock rather than a monotonic one is what survives a restart.
 */
public final class DeliverySchedule {
  private final long meanMillis;
  private final long maxMillis;
  private final LongSupplier clock;
  private final DoubleSupplier uniform;

  /**
   * @param settings the timing defences
   * @param clock wall-clock time in epoch milliseconds ({@code System::currentTimeMillis})
   * @param uniform uniform draws in [0, 1); the delays must be unpredictable to an observer, so the
   *     relay passes a {@link SecureRandom}
   */
  public DeliverySchedule(TimingSettings settings, LongSupplier clock, DoubleSupplier uniform) {
    this.meanMillis = settings.delayMean().toMillis();
    this.maxMillis = settings.delayMax().map(d -> d.toMillis()).orElse(Long.MAX_VALUE);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.uniform = Objects.requireNonNull(uniform, "uniform");
  }

  /** The relay's schedule for {@code settings}, on the system clock and a {@link SecureRandom}. */
  public static DeliverySchedule of(TimingSettings settings) {
    SecureRandom random = new SecureRandom();
    return new DeliverySchedule(settings, System::currentTimeMillis, random::nextDouble);
  }

  /** Everything deliverable at once. */
  public static DeliverySchedule immediate() {
    return new DeliverySchedule(TimingSettings.OFF, System::currentTimeMillis, () -> 0);
  }

  /** Whether any envelope can be held back (else every stored time is 0). */
  public boolean holdsBack() {
    return meanMillis > 0;
  }

  /** Now, in epoch milliseconds. */
  public long now() {
    return clock.getAsLong();
  }

  /**
   * The not-before time of an envelope stored now: now plus a fresh random delay, or 0 (at once)
   * when no defence holds envelopes back.
   */
  public long notBeforeForNewEnvelope() {
    if (meanMillis == 0) {
      return 0;
    }
    return now() + delayMillis();
  }

  /** One exponential delay of mean d, capped. */
  long delayMillis() {
    // inverse transform; 1 - u is in (0, 1], so the logarithm is finite
    double delay = -meanMillis * Math.log(1.0 - uniform.getAsDouble());
    return Math.min(maxMillis, Math.round(delay));
  }

  /** Whether an envelope with this not-before time may be delivered at {@code now}. */
  public boolean deliverable(long notBefore, long now) {
    return notBefore <= now;
  }

  /** When to look again at an envelope that is not yet deliverable. */
  public long wakeAt(long notBefore) {
    return notBefore;
  }
}
