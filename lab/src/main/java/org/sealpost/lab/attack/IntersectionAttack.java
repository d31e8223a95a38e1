package org.sealpost.lab.attack;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.sealpost.lab.trace.ObserverTrace;

/**
 * Intersection (online/offline) attack by the network observer. For each message the candidate set
 * is every address that received a block within {@code max(50 ms, 10 × scale)} after the send, plus
 * every address that was offline at the send and connected later (a queue drained on reconnect).
 * Over a sender's messages, addresses that keep turning up are its contacts: the statistical
 * intersection ({@code c_s(u) / b(u)}, the share of the sender's candidate sets that hold u over
 * the share of all candidate sets that hold u), applied to each message's own candidate set.
 */
public final class IntersectionAttack implements Attack {
  @Override
  public String name() {
    return "intersection";
  }

  @Override
  public String adversary() {
    return "network";
  }

  @Override
  public double[][] guess(AttackInput input, List<Query> queries) {
    ObserverTrace trace = input.observer();
    int n = input.users();
    long window = Math.max(50_000L, 10 * input.delayScaleMicros());
    List<boolean[]> sets = new ArrayList<>(queries.size());
    double[] base = new double[n];
    Map<Integer, double[]> bySender = new HashMap<>();
    Map<Integer, Integer> count = new HashMap<>();
    for (Query q : queries) {
      boolean[] s = new boolean[n];
      for (int i = trace.firstDownAtOrAfter(q.atMicros() + 1); i < trace.downCount(); i++) {
        if (trace.downTime(i) - q.atMicros() > window) {
          break;
        }
        s[trace.downUser(i)] = true;
      }
      for (int u = 0; u < n; u++) {
        if (!trace.online(u, q.atMicros()) && opensAfter(trace, u, q.atMicros())) {
          s[u] = true;
        }
      }
      s[q.sender()] = false;
      sets.add(s);
      double[] c = bySender.computeIfAbsent(q.sender(), k -> new double[n]);
      for (int u = 0; u < n; u++) {
        if (s[u]) {
          base[u]++;
          c[u]++;
        }
      }
      count.merge(q.sender(), 1, Integer::sum);
    }
    double[][] out = new double[queries.size()][];
    for (int q = 0; q < queries.size(); q++) {
      Query query = queries.get(q);
      double[] c = bySender.get(query.sender());
      int t = count.get(query.sender());
      boolean[] s = sets.get(q);
      double[] p = new double[n];
      for (int u = 0; u < n; u++) {
        if (s[u]) {
          p[u] = (c[u] / t) / (base[u] / queries.size());
        }
      }
      out[q] = Attack.normalize(p, query.sender());
    }
    return out;
  }

  private static boolean opensAfter(ObserverTrace trace, int user, long t) {
    long[] opens = trace.opens(user);
    return opens.length > 0 && opens[opens.length - 1] > t;
  }
}
