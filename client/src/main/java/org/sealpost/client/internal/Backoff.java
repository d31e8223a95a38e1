package org.sealpost.client.internal;

import java.time.Duration;

/**
 * Reconnect delays with "full jitter" above the minimum: the n-th delay after a success is drawn
 * uniformly from [min, min(max, min × 2ⁿ)]. The ceiling doubles, as in plain exponential back-off,
 * but the delays are random: after a relay restart every client's first try fails at the same
 * moment, and without jitter they would all come back together again at every step (issue 13: a
 * 10,000-client storm turned into a retry storm). The floor keeps a client from retrying at once.
 */
final class Backoff {
  private final long minMillis;
  private final long maxMillis;
  private final TimingDraws draws;
  private long ceilingMillis;

  Backoff(Duration min, Duration max, TimingDraws draws) {
    this.minMillis = Math.max(1, min.toMillis());
    this.maxMillis = Math.max(minMillis, max.toMillis());
    this.draws = draws;
    this.ceilingMillis = minMillis;
  }

  /**
   * The delay before the next try, in milliseconds (at least 1); the next one's ceiling doubles.
   */
  long nextDelayMillis() {
    ceilingMillis =
        Math.min(maxMillis, ceilingMillis > maxMillis / 2 ? maxMillis : ceilingMillis * 2);
    return minMillis + draws.uniformMillis(Duration.ofMillis(ceilingMillis - minMillis));
  }

  /** A connection succeeded: start from the minimum again. */
  void reset() {
    ceilingMillis = minMillis;
  }
}
