package org.sealpost.client.internal;

import java.time.Duration;
import org.sealpost.proto.crypto.RandomSource;

/**
 * Random waits of the client's timing defences (issue 10), drawn from the client's own randomness:
 * an observer who could predict them would gain what the defences hide.
 */
final class TimingDraws {
  private final RandomSource random;

  TimingDraws(RandomSource random) {
    this.random = random;
  }

  /** Uniform in [0, 1). */
  double uniform() {
    byte[] b = random.bytes(8);
    long v = 0;
    for (byte x : b) {
      v = (v << 8) | (x & 0xff);
    }
    return (v >>> 11) * 0x1.0p-53;
  }

  /** Uniform in [0, max] milliseconds. */
  long uniformMillis(Duration max) {
    return Math.round(uniform() * max.toMillis());
  }

  /** Exponential with this mean, in milliseconds, at least 1 (a Poisson process's gaps). */
  long exponentialMillis(Duration mean) {
    return Math.max(1, Math.round(-mean.toMillis() * Math.log(1.0 - uniform())));
  }
}
