package org.sealpost.lab.attack;

import java.util.List;
import org.sealpost.lab.trace.OperatorTrace;

/**
 * The curious operator's direct lookup: the Send the sender's connection made nearest the query
 * time (within 2 s) names a queue, and the address that holds that queue (created or subscribed it)
 * is the recipient. No timing defence changes this; only two-hop sending (the first relay sees the
 * address, the second the queue) does (DESIGN §4, §7b).
 */
public final class OperatorLookupAttack implements Attack {
  private static final long WINDOW = 2_000_000L;

  @Override
  public String name() {
    return "operator-lookup";
  }

  @Override
  public String adversary() {
    return "operator";
  }

  @Override
  public boolean applicable(AttackInput input) {
    return input.operator() != null;
  }

  @Override
  public double[][] guess(AttackInput input, List<Query> queries) {
    OperatorTrace op = input.operator();
    List<OperatorTrace.Send> sends = op.sends();
    double[][] out = new double[queries.size()][];
    for (int q = 0; q < queries.size(); q++) {
      Query query = queries.get(q);
      int lo = lowerBound(sends, query.atMicros() - WINDOW);
      OperatorTrace.Send best = null;
      for (int i = lo; i < sends.size(); i++) {
        OperatorTrace.Send s = sends.get(i);
        if (s.atMicros() > query.atMicros() + WINDOW) {
          break;
        }
        if (s.fromUser() == query.sender()
            && (best == null
                || Math.abs(s.atMicros() - query.atMicros())
                    < Math.abs(best.atMicros() - query.atMicros()))) {
          best = s;
        }
      }
      double[] p = new double[input.users()];
      if (best != null && best.queue() >= 0 && op.holders()[best.queue()] >= 0) {
        p[op.holders()[best.queue()]] = 1;
      }
      out[q] = Attack.normalize(p, query.sender());
    }
    return out;
  }

  private static int lowerBound(List<OperatorTrace.Send> sends, long t) {
    int lo = 0;
    int hi = sends.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sends.get(mid).atMicros() < t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
