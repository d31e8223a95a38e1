package org.sealpost.relay.queue;

import java.util.function.LongSupplier;

/**
 * A token bucket shared by every connection (the per-connection bucket alone is bypassed by
 * reconnecting). Thread-safe: commands of all event loops take from it.
 */
final class GlobalRate {
  private final boolean unlimited;
  private final double capacity;
  private final double perNano;
  private final LongSupplier nanoClock;
  private double tokens;
  private long last;

  /**
   * @param perSecond sustained rate; the bucket holds ten seconds of it (at least one token);
   *     {@code Double.POSITIVE_INFINITY}: no limit
   * @param nanoClock monotonic time in nanoseconds
   */
  GlobalRate(double perSecond, LongSupplier nanoClock) {
    if (!(perSecond > 0)) {
      throw new IllegalArgumentException("the rate must be positive");
    }
    this.unlimited = Double.isInfinite(perSecond);
    this.capacity = Math.max(1, perSecond * 10);
    this.perNano = perSecond / 1e9;
    this.nanoClock = nanoClock;
    this.tokens = capacity;
    this.last = nanoClock.getAsLong();
  }

  /** Takes one token if there is one. */
  synchronized boolean tryTake() {
    if (unlimited) {
      return true;
    }
    long now = nanoClock.getAsLong();
    tokens = Math.min(capacity, tokens + Math.max(0, now - last) * perNano);
    last = now;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
