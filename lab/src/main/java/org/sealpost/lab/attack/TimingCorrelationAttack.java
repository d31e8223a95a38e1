package org.sealpost.lab.attack;

import java.util.List;
import org.sealpost.lab.trace.ObserverTrace;

/**
 * Timing correlation by the network observer: the message went to an address that received a block
 * soon after the send. Each other address is weighted by an exponential delay model with the
 * published scale, at its first downstream block after the send: {@code w = exp(-(τ - t) / scale)},
 * so the first address to receive ranks first. Blocks later than {@value #WINDOW_SCALES} scales are
 * ignored. With no defence this is the "first push after the Send" attack; against a single Poisson
 * mix its top-1 accuracy is {@code 1 / (1 + λ d)} (see {@code ModelCheckTest}).
 */
public final class TimingCorrelationAttack implements Attack {
  static final int WINDOW_SCALES = 10;
  static final long REPLY_WINDOW_MICROS = 200_000;

  @Override
  public String name() {
    return "timing";
  }

  @Override
  public String adversary() {
    return "network";
  }

  @Override
  public double[][] guess(AttackInput input, List<Query> queries) {
    ObserverTrace trace = input.observer();
    double scale = Math.max(1, input.delayScaleMicros());
    long window = (long) (WINDOW_SCALES * scale);
    double[][] out = new double[queries.size()][];
    for (int q = 0; q < queries.size(); q++) {
      Query query = queries.get(q);
      long anchor = anchor(trace, query);
      double[] p = new double[input.users()];
      boolean[] seen = new boolean[input.users()];
      for (int i = trace.firstDownAtOrAfter(query.atMicros() + 1); i < trace.downCount(); i++) {
        long lag = trace.downTime(i) - query.atMicros();
        if (lag > window) {
          break;
        }
        int u = trace.downUser(i);
        if (u != query.sender() && !seen[u]) {
          seen[u] = true;
          p[u] = Math.exp(-Math.abs(trace.downTime(i) - anchor) / scale);
        }
      }
      out[q] = Attack.normalize(p, query.sender());
    }
    return out;
  }

  /** The sender's first downstream block within the reply window after the send, or the send. */
  private static long anchor(ObserverTrace trace, Query query) {
    long[] own = trace.down(query.sender());
    int i = java.util.Arrays.binarySearch(own, query.atMicros() + 1);
    if (i < 0) {
      i = -i - 1;
    }
    return i < own.length && own[i] - query.atMicros() <= REPLY_WINDOW_MICROS
        ? own[i]
        : query.atMicros();
  }
}
