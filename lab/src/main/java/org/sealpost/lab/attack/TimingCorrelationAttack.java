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
          p[u] = Math.exp(-lag / scale);
        }
      }
      out[q] = Attack.normalize(p, query.sender());
    }
    return out;
  }
}
