package org.sealpost.client.internal;

import java.time.Duration;

/** Reconnect delays: the minimum first, doubled after each failed try up to the maximum. */
final class Backoff {
  private final Duration min;
  private final Duration max;
  private Duration next;

  Backoff(Duration min, Duration max) {
    this.min = min;
    this.max = max;
    this.next = min;
  }

  /** The delay before the next try, in milliseconds (at least 1); the one after doubles. */
  long nextDelayMillis() {
    long delay = Math.max(1, next.toMillis());
    next = next.multipliedBy(2);
    if (next.compareTo(max) > 0) {
      next = max;
    }
    return delay;
  }

  /** A connection succeeded: start from the minimum again. */
  void reset() {
    next = min;
  }
}
