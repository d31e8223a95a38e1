package org.sealpost.lab.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.lab.attack.TimingCorrelationAttack;
import org.sealpost.lab.defence.ConstantRateDefence;
import org.sealpost.lab.model.WorkloadParams;
import org.sealpost.lab.score.Analysis;
import org.sealpost.lab.score.Scorer;
import org.sealpost.lab.trace.ObserverTrace;

/**
 * Constant-rate check (issue 10): with {@code --session-constant-rate 200ms} on the relay and the
 * clients' cover interval at 200 ms, the network observer's timing attack has an advantage of at
 * most 0.01 over chance, and the capture shows one block every T per direction on every session.
 *
 * <p>On a relay without the flag it fails loudly ({@link LabException}: "this relay does not have
 * that defence"); it never skips.
 */
class ConstantRateControlIT {
  private static final long PERIOD_MICROS = 200_000;

  @Test
  void constantRateLeavesTheTimingAttackAtChanceAndTheWireAtOneBlockPerPeriod(@TempDir Path dir)
      throws Exception {
    // one send per 1.5 s per user: ~240 messages
    WorkloadParams params = new WorkloadParams(12, 30, 11, 2, 1.0, 1.5, 1.0, 30);
    ConstantRateDefence defence = new ConstantRateDefence(java.time.Duration.ofMillis(200));
    LabRun.Outcome outcome = LabRun.run(defence, params, dir, t -> {});
    assertThat(outcome.failedSends()).isZero();

    Analysis analysis = new Analysis(new Scorer(3), List.of(new TimingCorrelationAttack()));
    Analysis.RunScores run = analysis.analyse(outcome.trace(), PERIOD_MICROS, null);
    double top1 = run.attacks().get(0).scores().top1();
    // Chance for this run: the same guesses against the real recipients permuted among each
    // sender's own messages. With nothing to learn, the attack's guesses follow the sessions'
    // fixed clock phases, so they depend on the sender, and whether that fixed guess is one of the
    // sender's two contacts moves top-1 far from 1/(N-1) from run to run (0.046 and 0.139 in two
    // runs of one build, chance 0.091); the within-sender permutation keeps that and removes only
    // the link between a message's time and its recipient (NegativeControlTest).
    int permutations = 30;
    Analysis.Chance chance =
        analysis.permutedChance(outcome.trace(), PERIOD_MICROS, permutations).get(0);
    double baseline = chance.mean();
    double spread = chance.spread();
    // The permutations' spread is the advantage's spread when time says nothing: the test
    // rejects "advantage <= 0.01" only when the data refute it, one-sided at 99 % (z = 2.33). On
    // synthetic constant-rate traces of this size (NegativeControlTest's model) it failed 0 of
    // 200 runs with no leak and caught 38 of 50 where one message in ten leaked; the lab's full
    // run measures the figure itself (docs/leakage-lab.md).
    System.out.printf(
        "constant-rate control: top-1 %.4f over %d messages, permuted truth %.4f ± %.4f (sd of"
            + " %d), 1/(N-1) %.4f%n",
        top1, run.messages(), baseline, spread, permutations, run.chance());
    assertThat(top1 - 2.33 * spread - baseline)
        .as(
            "timing advantage over the permuted truth, lower 99 %% bound (top-1 %.4f, baseline"
                + " %.4f ± %.4f)",
            top1, baseline, spread)
        .isLessThanOrEqualTo(0.01);

    ObserverTrace wire = outcome.trace().observer();
    for (int u = 0; u < params.users(); u++) {
      for (long[] times : List.of(wire.up(u), wire.down(u))) {
        List<Long> gaps = new ArrayList<>();
        // skip the first two seconds (handshake, queue creation, subscription)
        for (int i = 1; i < times.length; i++) {
          if (times[i - 1] - times[0] > 2_000_000) {
            gaps.add(times[i] - times[i - 1]);
          }
        }
        long regular =
            gaps.stream().filter(g -> Math.abs(g - PERIOD_MICROS) <= PERIOD_MICROS / 4).count();
        assertThat((double) regular / Math.max(1, gaps.size()))
            .as("user %d: share of block gaps within T ± 25 %%", u)
            .isGreaterThan(0.95);
      }
    }
  }
}
