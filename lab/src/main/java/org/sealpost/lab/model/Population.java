package org.sealpost.lab.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded population and its whole schedule, generated before the run so that a run is
 * reproducible whatever the timing of the real sockets: the contact graph, each user's online
 * periods, and every send (time, sender, recipient). Times are offsets in microseconds from the
 * start of the measured run.
 */
public final class Population {
  /** One scheduled action. */
  public record Event(long atMicros, Kind kind, int user, int recipient) {}

  public enum Kind {
    ONLINE,
    OFFLINE,
    SEND
  }

  private final WorkloadParams params;
  private final int[][] contacts;
  private final boolean[] onlineAtStart;
  private final List<Event> events;

  private Population(
      WorkloadParams params, int[][] contacts, boolean[] onlineAtStart, List<Event> events) {
    this.params = params;
    this.contacts = contacts;
    this.onlineAtStart = onlineAtStart;
    this.events = events;
  }

  public static Population generate(WorkloadParams p) {
    SplittableRandom random = new SplittableRandom(p.seed());
    int n = p.users();
    // popularity: a random permutation of users gets Zipf weights by rank
    List<Integer> ranks = new ArrayList<>();
    for (int u = 0; u < n; u++) {
      ranks.add(u);
    }
    Collections.shuffle(ranks, new java.util.Random(random.nextLong()));
    double[] weight = new double[n];
    for (int r = 0; r < n; r++) {
      weight[ranks.get(r)] = 1.0 / Math.pow(r + 1, p.zipfExponent());
    }
    int[][] contacts = new int[n][];
    for (int u = 0; u < n; u++) {
      LinkedHashSet<Integer> chosen = new LinkedHashSet<>();
      while (chosen.size() < p.contacts()) {
        int c = sample(weight, random, u);
        chosen.add(c);
      }
      contacts[u] = chosen.stream().mapToInt(Integer::intValue).toArray();
    }
    long end = (long) (p.seconds() * 1e6);
    List<Event> events = new ArrayList<>();
    boolean[] onlineAtStart = new boolean[n];
    for (int u = 0; u < n; u++) {
      boolean always = random.nextDouble() < p.alwaysOnline();
      boolean online = always || random.nextBoolean();
      onlineAtStart[u] = online;
      long t = 0;
      while (t < end) {
        long period =
            always ? end : (long) (exponential(random, p.sessionSeconds()) * 1e6) + 1_000_000;
        long until = Math.min(end, t + period);
        if (online) {
          long s = t + (long) (exponential(random, p.sendIntervalSeconds()) * 1e6);
          while (s < until) {
            int to = contacts[u][random.nextInt(contacts[u].length)];
            events.add(new Event(s, Kind.SEND, u, to));
            s += (long) (exponential(random, p.sendIntervalSeconds()) * 1e6);
          }
        }
        t = until;
        if (t < end) {
          online = !online;
          events.add(new Event(t, online ? Kind.ONLINE : Kind.OFFLINE, u, -1));
        }
      }
    }
    events.sort(Comparator.comparingLong(Event::atMicros).thenComparingInt(Event::user));
    return new Population(p, contacts, onlineAtStart, List.copyOf(events));
  }

  private static int sample(double[] weight, SplittableRandom random, int exclude) {
    double total = 0;
    for (int i = 0; i < weight.length; i++) {
      total += i == exclude ? 0 : weight[i];
    }
    double x = random.nextDouble() * total;
    for (int i = 0; i < weight.length; i++) {
      if (i == exclude) {
        continue;
      }
      x -= weight[i];
      if (x <= 0) {
        return i;
      }
    }
    return exclude == weight.length - 1 ? weight.length - 2 : weight.length - 1;
  }

  private static double exponential(SplittableRandom random, double mean) {
    return -mean * Math.log(1 - random.nextDouble());
  }

  public WorkloadParams params() {
    return params;
  }

  public int users() {
    return params.users();
  }

  public int[] contactsOf(int user) {
    return contacts[user].clone();
  }

  public boolean onlineAtStart(int user) {
    return onlineAtStart[user];
  }

  public List<Event> events() {
    return events;
  }

  public long sends() {
    return events.stream().filter(e -> e.kind() == Kind.SEND).count();
  }
}
