package org.sealpost.lab.attack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sealpost.lab.score.Analysis;
import org.sealpost.lab.score.Scorer;
import org.sealpost.lab.trace.LabTrace;

/**
 * Model check: the lab's timing attack against a single Poisson mix (arrivals at rate λ,
 * independent exponential delays with mean d) links a message to its own output exactly when that
 * output is the first one after the send. In an M/M/∞ mix the outputs form a Poisson process of
 * rate λ independent of our message's delay X ~ Exp(1/d), so P(no other output before ours) =
 * E[e^{−λX}] = 1/(1 + λd); a wrong first output still names the right user with probability
 * 1/(N−1). The measured top-1 must agree with 1/(1 + λd) + (1 − 1/(1 + λd))/(N − 1) within 10 %.
 */
class ModelCheckTest {
  @ParameterizedTest(name = "λ = {0}/s, d = {1} s")
  @CsvSource({"10, 0.05", "10, 0.2", "5, 1.0", "20, 0.5"})
  void timingAttackMatchesTheSinglePoissonMixModel(double lambda, double d) {
    int users = 500;
    LabTrace trace = SyntheticMix.generate(users, 20_000, lambda, d, 42);
    Analysis analysis = new Analysis(new Scorer(3), List.of(new TimingCorrelationAttack()));
    double measured =
        analysis.analyse(trace, (long) (d * 1e6), null).attacks().get(0).scores().top1();
    double p = 1 / (1 + lambda * d);
    double model = p + (1 - p) / (users - 1);
    System.out.printf(
        "model check λ=%s d=%s: measured %.4f, model %.4f%n", lambda, d, measured, model);
    assertThat(measured)
        .as("top-1 measured vs the single Poisson mix model %.4f", model)
        .isBetween(model * 0.9, model * 1.1);
  }
}
