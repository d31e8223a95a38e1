package org.sealpost.relay.protocol;

import java.util.function.LongSupplier;

/** A token bucket for one connection; not thread-safe (it lives on the connection's context). */
final class TokenBucket {
  private final double capacity;
  private final double perNano;
  private final LongSupplier nanoClock;
  private double tokens;
  private long last;

  TokenBucket(int capacity, double perSecond, LongSupplier nanoClock) {
    this.capacity = capacity;
    this.perNano = perSecond / 1e9;
    this.nanoClock = nanoClock;
    this.tokens = capacity;
    this.last = nanoClock.getAsLong();
  }

  /** Takes one token if there is one. */
  boolean tryTake() {
    long now = nanoClock.getAsLong();
    tokens = Math.min(capacity, tokens + (now - last) * perNano);
    last = now;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
