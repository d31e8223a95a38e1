package org.sealpost.lab.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.lab.attack.Attacks;
import org.sealpost.lab.defence.NoDefence;
import org.sealpost.lab.model.WorkloadParams;
import org.sealpost.lab.score.Analysis;
import org.sealpost.lab.score.Scorer;
import org.sealpost.lab.score.Scores;

/**
 * Positive and negative control on a real relay process: 12 users over real TLS + Noise sockets for
 * 20 s, low load (about 2 messages per second in all), no defence. The network timing attack must
 * link at least half the messages (chance is 1/11 ≈ 0.09) and the operator's lookup at least 95 %
 * (it reads the queue); against a shuffled truth every attack falls to chance.
 */
class PositiveControlIT {
  @Test
  void withoutDefenceTheTimingAttackLinksFarAboveChanceAndShuffledTruthFallsToChance(
      @TempDir Path dir) throws Exception {
    WorkloadParams params = new WorkloadParams(12, 15, 7, 2, 1.0, 4, 0.8, 30);
    NoDefence none = new NoDefence();
    LabRun.Outcome outcome = LabRun.run(none, params, dir, t -> {});
    assertThat(outcome.failedSends()).isZero();
    assertThat(outcome.trace().truth()).hasSizeGreaterThan(20);
    assertThat(Files.readString(dir.resolve("operator.tsv")))
        .as("the relay ran the lab's operator recorder")
        .contains("\tSEND\t")
        .doesNotContain("\tSEND\t-1\t");

    Analysis analysis = new Analysis(new Scorer(3), Attacks.all());
    long scale = none.adversaryScale().toNanos() / 1000;
    Map<String, Scores> real = byAttack(analysis.analyse(outcome.trace(), scale, null));
    double chance = 1.0 / 11;
    assertThat(real.get("timing").top1())
        .as("timing top-1 (chance %.3f)", chance)
        .isGreaterThan(0.5);
    assertThat(real.get("operator-lookup").top1()).isGreaterThan(0.95);

    int shuffles = 30;
    for (String attack : real.keySet()) {
      double sum = 0;
      for (int s = 0; s < shuffles; s++) {
        sum += byAttack(analysis.analyse(outcome.trace(), scale, 100L + s)).get(attack).top1();
      }
      double se = Math.sqrt(chance * (1 - chance) / outcome.trace().truth().size() / shuffles);
      assertThat(sum / shuffles)
          .as("%s against a shuffled truth", attack)
          .isBetween(chance - 3.3 * se, chance + 3.3 * se);
    }
  }

  private static Map<String, Scores> byAttack(Analysis.RunScores run) {
    List<Analysis.AttackScores> list = run.attacks();
    return list.stream()
        .collect(
            Collectors.toMap(
                Analysis.AttackScores::attack,
                Analysis.AttackScores::scores,
                (a, b) -> a,
                java.util.LinkedHashMap::new));
  }
}
