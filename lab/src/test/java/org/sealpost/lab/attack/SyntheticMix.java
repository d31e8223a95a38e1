package org.sealpost.lab.attack;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.sealpost.lab.trace.LabTrace;
import org.sealpost.lab.trace.Message;
import org.sealpost.lab.trace.ObserverTrace;

/**
 * A synthetic trace of a single Poisson mix, independent of the relay: messages arrive at rate λ
 * from a uniformly random sender to a uniformly random other user, and each leaves after an
 * independent exponential delay with mean d (d = 0: a fixed 1 ms). One upstream block at the send,
 * one downstream block at the delivery; nothing else.
 */
final class SyntheticMix {
  private SyntheticMix() {}

  static LabTrace generate(
      int users, int messages, double lambdaPerSecond, double meanDelaySeconds, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    ObserverTrace.Builder b = new ObserverTrace.Builder(users);
    List<Message> truth = new ArrayList<>();
    double t = 1;
    for (int i = 0; i < messages; i++) {
      t += -Math.log(1 - r.nextDouble()) / lambdaPerSecond;
      int s = r.nextInt(users);
      int to = r.nextInt(users - 1);
      if (to >= s) {
        to++;
      }
      double delay =
          meanDelaySeconds > 0 ? -meanDelaySeconds * Math.log(1 - r.nextDouble()) : 0.001;
      long sent = (long) (t * 1e6);
      long got = sent + Math.max(1, (long) (delay * 1e6));
      b.up(s, sent);
      b.down(to, got);
      truth.add(new Message(i, s, to, sent, got, true));
    }
    for (int u = 0; u < users; u++) {
      b.open(u, 0);
    }
    return new LabTrace(users, b.build(), null, truth);
  }

  /**
   * A synthetic constant-rate relay: every user sends and receives one block every {@code period}
   * at its own fixed phase (±1 ms), whatever it sends or receives; each user writes, at Poisson
   * times with mean {@code sendIntervalSeconds}, to one of its {@code contacts} regular contacts
   * (chosen uniformly from the others), and the message leaves in the recipient's next slot. For a
   * share {@code leakShare} of the messages, the relay also answers the sender 1 ms and pushes to
   * the recipient 2 ms after the sender's slot, as a relay without the defence does: the timing
   * attack then finds the recipient.
   */
  static LabTrace constantRate(
      int users,
      double seconds,
      long periodMicros,
      int contacts,
      double sendIntervalSeconds,
      double leakShare,
      long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    long end = (long) (seconds * 1e6);
    long[] upPhase = new long[users];
    long[] downPhase = new long[users];
    int[][] contactsOf = new int[users][];
    for (int u = 0; u < users; u++) {
      upPhase[u] = r.nextLong(periodMicros);
      downPhase[u] = r.nextLong(periodMicros);
      List<Integer> others = new ArrayList<>();
      for (int v = 0; v < users; v++) {
        if (v != u) {
          others.add(v);
        }
      }
      contactsOf[u] = new int[contacts];
      for (int c = 0; c < contacts; c++) {
        contactsOf[u][c] = others.remove(r.nextInt(others.size()));
      }
    }
    ObserverTrace.Builder b = new ObserverTrace.Builder(users);
    for (int u = 0; u < users; u++) {
      b.open(u, 0);
      for (long t = 0; t < end; t += periodMicros) {
        b.up(u, t + upPhase[u] + r.nextLong(-1000, 1001));
        b.down(u, t + downPhase[u] + r.nextLong(-1000, 1001));
      }
    }
    List<Message> truth = new ArrayList<>();
    for (int u = 0; u < users; u++) {
      double t = 1;
      while (true) {
        t += -Math.log(1 - r.nextDouble()) * sendIntervalSeconds;
        long sent = (long) (t * 1e6);
        if (sent > end - 2 * periodMicros) {
          break;
        }
        int to = contactsOf[u][r.nextInt(contacts)];
        long slot = nextSlot(sent, upPhase[u], periodMicros);
        long got = nextSlot(slot + 1000, downPhase[to], periodMicros);
        if (r.nextDouble() < leakShare) {
          b.down(u, slot + 1000);
          b.down(to, slot + 2000);
        }
        truth.add(new Message(truth.size(), u, to, sent, got, true));
      }
    }
    return new LabTrace(users, b.build(), null, truth);
  }

  private static long nextSlot(long at, long phase, long period) {
    long k = Math.floorDiv(at - phase + period - 1, period);
    return k * period + phase;
  }
}
