package org.sealpost.lab.score;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.sealpost.lab.attack.Attack;
import org.sealpost.lab.attack.AttackInput;
import org.sealpost.lab.attack.Query;
import org.sealpost.lab.trace.LabTrace;
import org.sealpost.lab.trace.Message;

/**
 * Turns one run into scores: builds the queries from the observer's view (each message's sender and
 * the time of its first upstream block at or after the write), runs every attack on the views, and
 * scores them against the ground truth — or, for the negative control, against a shuffled truth in
 * which every message's recipient is redrawn uniformly from the other N − 1 users.
 */
public final class Analysis {
  /** One attack's scores on one run. */
  public record AttackScores(String attack, String adversary, Scores scores) {}

  /**
   * One run's results.
   *
   * @param latencyMedianMs send → receive, messages whose recipient was online at the send
   * @param blocks blocks the observer saw, both directions
   */
  public record RunScores(
      int users,
      int messages,
      int delivered,
      double latencyMedianMs,
      double latencyP99Ms,
      long blocks,
      List<AttackScores> attacks) {

    public double chance() {
      return 1.0 / (users - 1);
    }
  }

  private final Scorer scorer;
  private final List<Attack> attacks;

  public Analysis(Scorer scorer, List<Attack> attacks) {
    this.scorer = scorer;
    this.attacks = List.copyOf(attacks);
  }

  /**
   * @param shuffleSeed {@code null} for the real ground truth; a seed to score against a shuffled
   *     one (negative control)
   */
  public RunScores analyse(LabTrace trace, long delayScaleMicros, Long shuffleSeed) {
    List<Message> messages = trace.truth();
    int[] truth = new int[messages.size()];
    SplittableRandom shuffle = shuffleSeed == null ? null : new SplittableRandom(shuffleSeed);
    for (int i = 0; i < messages.size(); i++) {
      Message m = messages.get(i);
      truth[i] = shuffle == null ? m.recipient() : other(shuffle, trace.users(), m.sender());
    }
    return analyse(trace, delayScaleMicros, truth);
  }

  /**
   * Scores against the real recipients permuted among each sender's own messages: every sender
   * keeps exactly the recipients it wrote to, and each message loses only the link between its time
   * and its recipient. This is the chance level of an attack that learns nothing from time but
   * whose guesses depend on the sender (towards the session whose fixed constant-rate clock phase
   * follows the sender's, say): how such a fixed guess meets the sender's few contacts moves its
   * top-1 far from 1/(N−1) from run to run, and the permutation keeps that part whole. A
   * permutation among all messages would not: it replaces each sender's contacts by the global
   * popularity, and on synthetic constant-rate traces with two contacts per sender and no leak that
   * alone put top-1 up to 0.17 above it. A sender with a single message keeps it (it adds the same
   * to both scores).
   */
  public RunScores analysePermuted(LabTrace trace, long delayScaleMicros, long seed) {
    List<Message> messages = trace.truth();
    int[] recipients = new int[messages.size()];
    List<List<Integer>> bySender = new ArrayList<>();
    for (int u = 0; u < trace.users(); u++) {
      bySender.add(new ArrayList<>());
    }
    for (int i = 0; i < recipients.length; i++) {
      recipients[i] = messages.get(i).recipient();
      bySender.get(messages.get(i).sender()).add(i);
    }
    // Sattolo's shuffle: one cycle through the sender's messages, so no message keeps its own
    // recipient (which would credit a perfect attack with 1/n of its score as chance)
    SplittableRandom r = new SplittableRandom(seed);
    for (List<Integer> own : bySender) {
      for (int k = own.size() - 1; k > 0; k--) {
        int a = own.get(k);
        int b = own.get(r.nextInt(k));
        int t = recipients[a];
        recipients[a] = recipients[b];
        recipients[b] = t;
      }
    }
    return analyse(trace, delayScaleMicros, recipients);
  }

  /**
   * One attack's chance level from {@link #analysePermuted}: the mean top-1 over the permutations
   * and their standard deviation, which is the spread of the advantage when time says nothing.
   */
  public record Chance(double mean, double spread) {}

  /**
   * Chance for every attack, in {@link #analyse} order, from {@code permutations} within-sender
   * permutations (seeds 1000, 1001, …).
   */
  public List<Chance> permutedChance(LabTrace trace, long delayScaleMicros, int permutations) {
    if (permutations < 2) {
      throw new IllegalArgumentException("a spread needs at least 2 permutations");
    }
    double[][] top1 = null;
    for (int p = 0; p < permutations; p++) {
      List<AttackScores> scores = analysePermuted(trace, delayScaleMicros, 1000L + p).attacks();
      if (top1 == null) {
        top1 = new double[scores.size()][permutations];
      }
      for (int a = 0; a < scores.size(); a++) {
        top1[a][p] = scores.get(a).scores().top1();
      }
    }
    List<Chance> out = new ArrayList<>(top1.length);
    for (double[] values : top1) {
      double mean = Arrays.stream(values).average().orElseThrow();
      double squares = Arrays.stream(values).map(x -> (x - mean) * (x - mean)).sum();
      out.add(new Chance(mean, Math.sqrt(squares / (permutations - 1))));
    }
    return out;
  }

  private RunScores analyse(LabTrace trace, long delayScaleMicros, int[] truth) {
    List<Message> messages = trace.truth();
    List<Query> queries = new ArrayList<>(messages.size());
    for (Message m : messages) {
      long seen = trace.observer().firstUpAtOrAfter(m.sender(), m.sentMicros());
      queries.add(new Query(m.sender(), seen < 0 ? m.sentMicros() : seen));
    }
    AttackInput input =
        new AttackInput(trace.users(), trace.observer(), trace.operator(), delayScaleMicros);
    List<AttackScores> out = new ArrayList<>();
    for (Attack a : attacks) {
      if (a.applicable(input)) {
        out.add(
            new AttackScores(
                a.name(), a.adversary(), scorer.score(a.guess(input, queries), truth)));
      }
    }
    double[] latencies =
        messages.stream()
            .filter(m -> m.delivered() && m.recipientOnline())
            .mapToDouble(m -> (m.deliveredMicros() - m.sentMicros()) / 1000.0)
            .sorted()
            .toArray();
    int delivered = (int) messages.stream().filter(Message::delivered).count();
    return new RunScores(
        trace.users(),
        messages.size(),
        delivered,
        quantile(latencies, 0.5),
        quantile(latencies, 0.99),
        trace.observer().blocks(),
        out);
  }

  private static int other(SplittableRandom r, int n, int not) {
    int u = r.nextInt(n - 1);
    return u >= not ? u + 1 : u;
  }

  /** Nearest-rank quantile of sorted values; NaN when empty. */
  public static double quantile(double[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  static double[] sortedCopy(double[] v) {
    double[] c = v.clone();
    Arrays.sort(c);
    return c;
  }
}
