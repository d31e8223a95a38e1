package org.sealpost.lab.attack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sealpost.lab.score.Analysis;
import org.sealpost.lab.score.Scorer;
import org.sealpost.lab.trace.LabTrace;
import org.sealpost.lab.trace.Message;
import org.sealpost.lab.trace.OperatorTrace;

/**
 * Controls on a synthetic trace where every attack can see the links: against the real truth each
 * attack is far above chance; against a shuffled truth (each recipient redrawn uniformly) every
 * attack is at chance, 1/(N−1), within its 99.9 % interval (averaged over 30 shuffles).
 */
class NegativeControlTest {
  private static final int USERS = 50;

  @Test
  void everyAttackIsAtChanceAgainstAShuffledTruthAndAboveItAgainstTheRealOne() {
    LabTrace trace = withOperator(SyntheticMix.generate(USERS, 3_000, 2, 0, 7));
    Analysis analysis = new Analysis(new Scorer(3), Attacks.all());
    double chance = 1.0 / (USERS - 1);
    Analysis.RunScores real = analysis.analyse(trace, 5_000, null);
    assertThat(real.attacks()).hasSize(Attacks.all().size());
    for (Analysis.AttackScores a : real.attacks()) {
      // the disclosure attack learns profiles, not messages: contacts here are uniform, so it
      // only has to beat chance
      assertThat(a.scores().top1())
          .as(a.attack())
          .isGreaterThan(a.attack().equals("disclosure") ? chance : 0.9);
    }
    int shuffles = 30;
    for (int a = 0; a < real.attacks().size(); a++) {
      double sum = 0;
      for (int s = 0; s < shuffles; s++) {
        sum += analysis.analyse(trace, 5_000, 1000L + s).attacks().get(a).scores().top1();
      }
      double mean = sum / shuffles;
      double se = Math.sqrt(chance * (1 - chance) / trace.truth().size() / shuffles);
      assertThat(mean)
          .as(real.attacks().get(a).attack())
          .isBetween(chance - 3.3 * se, chance + 3.3 * se);
    }
  }

  /**
   * The constant-rate control's baseline: the real recipients permuted among the messages break
   * every link to the message (here popularity is uniform, so each attack falls to 1/(N−1)).
   */
  @Test
  void everyAttackIsAtChanceAgainstThePermutedTruth() {
    LabTrace trace = withOperator(SyntheticMix.generate(USERS, 3_000, 2, 0, 7));
    Analysis analysis = new Analysis(new Scorer(3), Attacks.all());
    double chance = 1.0 / (USERS - 1);
    int permutations = 30;
    for (int a = 0; a < Attacks.all().size(); a++) {
      double sum = 0;
      for (int p = 0; p < permutations; p++) {
        sum += analysis.analysePermuted(trace, 5_000, 1000L + p).attacks().get(a).scores().top1();
      }
      double se = Math.sqrt(chance * (1 - chance) / trace.truth().size() / permutations);
      assertThat(sum / permutations)
          .as(Attacks.all().get(a).name())
          .isBetween(chance - 3.3 * se, chance + 3.3 * se);
    }
  }

  /** Adds the operator view: every Send seen, every user holding its own queue. */
  private static LabTrace withOperator(LabTrace t) {
    List<OperatorTrace.Send> sends = new ArrayList<>();
    for (Message m : t.truth()) {
      sends.add(new OperatorTrace.Send(m.sentMicros() + 100, m.sender(), m.recipient()));
    }
    int[] holders = new int[t.users()];
    for (int u = 0; u < holders.length; u++) {
      holders[u] = u;
    }
    return new LabTrace(t.users(), t.observer(), new OperatorTrace(sends, holders), t.truth());
  }
}
