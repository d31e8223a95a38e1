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
}
