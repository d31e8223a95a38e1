package org.sealpost.lab.attack;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.sealpost.lab.trace.ObserverTrace;

/**
 * Statistical disclosure attack (Danezis 2003) by the network observer. Time is cut into rounds of
 * length {@code max(1 s, 2 × scale)}; in each round the observer counts the blocks every address
 * received. A sender's contact profile is the mean count vector over the rounds in which it sent
 * (that round and the next, for the delay), minus the mean over all rounds (the background): {@code
 * v_s = mean_{r ∈ R_s} o_r − mean_r o_r}. Each of the sender's messages gets the positive part of
 * {@code v_s}, normalized: the attack learns who a sender writes to, not which message went where.
 */
public final class DisclosureAttack implements Attack {
  @Override
  public String name() {
    return "disclosure";
  }

  @Override
  public String adversary() {
    return "network";
  }

  @Override
  public double[][] guess(AttackInput input, List<Query> queries) {
    ObserverTrace trace = input.observer();
    int n = input.users();
    long round = Math.max(1_000_000L, 2 * input.delayScaleMicros());
    if (trace.downCount() == 0 || queries.isEmpty()) {
      return uniform(queries, n);
    }
    long origin = trace.downTime(0);
    for (Query q : queries) {
      origin = Math.min(origin, q.atMicros());
    }
    int rounds = (int) ((trace.downTime(trace.downCount() - 1) - origin) / round) + 2;
    // counts[r][u]: blocks u received in round r
    int[][] counts = new int[rounds][n];
    for (int i = 0; i < trace.downCount(); i++) {
      counts[(int) ((trace.downTime(i) - origin) / round)][trace.downUser(i)]++;
    }
    double[] background = new double[n];
    for (int r = 0; r < rounds; r++) {
      for (int u = 0; u < n; u++) {
        background[u] += counts[r][u] + (r + 1 < rounds ? counts[r + 1][u] : 0);
      }
    }
    for (int u = 0; u < n; u++) {
      background[u] /= rounds;
    }
    Map<Integer, double[]> sums = new HashMap<>();
    Map<Integer, Integer> seen = new HashMap<>();
    for (Query q : queries) {
      int r = (int) Math.min(rounds - 1, (q.atMicros() - origin) / round);
      double[] s = sums.computeIfAbsent(q.sender(), k -> new double[n]);
      for (int u = 0; u < n; u++) {
        s[u] += counts[r][u] + (r + 1 < rounds ? counts[r + 1][u] : 0);
      }
      seen.merge(q.sender(), 1, Integer::sum);
    }
    Map<Integer, double[]> profiles = new HashMap<>();
    sums.forEach(
        (sender, s) -> {
          int t = seen.get(sender);
          double[] v = new double[n];
          for (int u = 0; u < n; u++) {
            v[u] = u == sender ? 0 : Math.max(0, s[u] / t - background[u]);
          }
          profiles.put(sender, Attack.normalize(v, sender));
        });
    double[][] out = new double[queries.size()][];
    for (int q = 0; q < queries.size(); q++) {
      out[q] = profiles.get(queries.get(q).sender()).clone();
    }
    return out;
  }

  private static double[][] uniform(List<Query> queries, int n) {
    double[][] out = new double[queries.size()][];
    for (int q = 0; q < queries.size(); q++) {
      out[q] = Attack.normalize(new double[n], queries.get(q).sender());
    }
    return out;
  }
}
