package org.sealpost.relay.delivery;

import io.vertx.core.Context;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import org.sealpost.relay.config.TimingSettings;

/**
 * When a stored envelope may be delivered (issue 10, DESIGN §5). Relay-wide and shared by every
 * session and the command path; holds nothing about any user (the waiters it keeps between rounds
 * are sessions' callbacks in memory, dropped at each round).
 *
 * <p><b>Delivery delay:</b> each envelope gets an independent delay drawn from an exponential
 * distribution with mean d (optionally capped), so the order of deliveries no longer follows the
 * order of sends (a Poisson mix per envelope). The resulting time, in epoch milliseconds of the
 * wall clock, is stored with the envelope (sealed, store format 2) so that a restart neither loses
 * nor releases it early; the wall clock rather than a monotonic one is what survives a restart.
 *
 * <p><b>Timed batches</b> (a timed pool mix with a threshold): every T the relay runs a round; if
 * at least k envelopes were stored since the last release, every envelope whose time has come by
 * then is released at once. A start counts as a round: what was stored before it is released when
 * the relay starts, since how many envelopes wait is not kept anywhere.
 */
public final class DeliverySchedule {
  private final long meanMillis;
  private final long maxMillis;
  private final long batchMillis;
  private final int batchMin;
  private final LongSupplier clock;
  private final DoubleSupplier uniform;
  // timed batches: envelopes stored since the last release, and that release's time
  private final AtomicLong pooled = new AtomicLong();
  private volatile long releasedUpTo;
  private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();

  private record Waiter(Context context, Runnable action) {}

  /**
   * @param settings the timing defences
   * @param clock wall-clock time in epoch milliseconds ({@code System::currentTimeMillis})
   * @param uniform uniform draws in [0, 1); the delays must be unpredictable to an observer, so the
   *     relay passes a {@link SecureRandom}
   */
  public DeliverySchedule(TimingSettings settings, LongSupplier clock, DoubleSupplier uniform) {
    this.meanMillis = settings.delayMean().toMillis();
    this.maxMillis = settings.delayMax().map(d -> d.toMillis()).orElse(Long.MAX_VALUE);
    this.batchMillis = settings.batchInterval().toMillis();
    this.batchMin = settings.batchMin();
    this.clock = Objects.requireNonNull(clock, "clock");
    this.uniform = Objects.requireNonNull(uniform, "uniform");
    this.releasedUpTo = clock.getAsLong(); // the start is a round
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
    return meanMillis > 0 || batchMillis > 0;
  }

  /** T of timed batches in milliseconds, 0 when off: {@link #round()} is to run every T. */
  public long batchIntervalMillis() {
    return batchMillis;
  }

  /** Now, in epoch milliseconds. */
  public long now() {
    return clock.getAsLong();
  }

  /**
   * The not-before time of an envelope stored now: now plus a fresh random delay (if any), or 0 (at
   * once) when no defence holds envelopes back.
   */
  public long notBeforeForNewEnvelope() {
    if (!holdsBack()) {
      return 0;
    }
    return Math.max(1, now() + (meanMillis > 0 ? delayMillis() : 0));
  }

  /** One exponential delay of mean d, capped. */
  long delayMillis() {
    // inverse transform; 1 - u is in (0, 1], so the logarithm is finite
    double delay = -meanMillis * Math.log(1.0 - uniform.getAsDouble());
    return Math.min(maxMillis, Math.round(delay));
  }

  /** An envelope was stored: it joins the pool of the next round. */
  public void stored() {
    if (batchMillis > 0) {
      pooled.incrementAndGet();
    }
  }

  /** Whether an envelope with this not-before time may be delivered at {@code now}. */
  public boolean deliverable(long notBefore, long now) {
    return notBefore <= now && (batchMillis == 0 || notBefore <= releasedUpTo);
  }

  /**
   * When to look again at an envelope that is not yet deliverable: its time, or {@link
   * Long#MAX_VALUE} when only a round can release it (see {@link #whenReleased}).
   */
  public long wakeAt(long notBefore, long now) {
    return notBefore > now ? notBefore : Long.MAX_VALUE;
  }

  /** The time up to which the last round released (the start, before the first round). */
  public long releasedUpTo() {
    return releasedUpTo;
  }

  /**
   * Runs {@code action} on {@code context} at the next round that releases, or at once (on the
   * context) if one has released since {@code seen} (a value of {@link #releasedUpTo()}).
   */
  public void whenReleased(Context context, Runnable action, long seen) {
    Waiter w = new Waiter(context, action);
    waiters.add(w);
    // a round that ran between the caller's read and the add would not have seen this waiter
    if (releasedUpTo != seen && waiters.remove(w)) {
      context.runOnContext(v -> action.run());
    }
  }

  /**
   * One round of timed batches (every T): releases if at least k envelopes joined the pool since
   * the last release, and wakes the waiting sessions.
   *
   * @return whether the round released
   */
  public boolean round() {
    long count = pooled.get();
    if (count < batchMin) {
      return false;
    }
    pooled.addAndGet(-count);
    releasedUpTo = now();
    Waiter w;
    while ((w = waiters.poll()) != null) {
      Runnable action = w.action();
      w.context().runOnContext(v -> action.run());
    }
    return true;
  }
}
