package org.sealpost.lab.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ScorerTest {
  @Test
  void uniformGuessScoresExactlyKOverCandidates() {
    int n = 10;
    double[] p = new double[n];
    Arrays.fill(p, 1.0 / (n - 1));
    p[0] = 0; // the sender
    Scores s = new Scorer(3).score(new double[][] {p, p}, new int[] {4, 9});
    assertThat(s.top1()).isCloseTo(1.0 / 9, within(1e-12));
    assertThat(s.topK()).isCloseTo(3.0 / 9, within(1e-12));
    assertThat(s.entropyBits()).isCloseTo(Math.log(9) / Math.log(2), within(1e-9));
    assertThat(s.degree()).isCloseTo(Math.log(9) / Math.log(10), within(1e-9));
  }

  @Test
  void certainRightGuessScoresOneWithZeroEntropy() {
    double[] p = {0, 0, 1, 0};
    Scores s = new Scorer(2).score(new double[][] {p}, new int[] {2});
    assertThat(s.top1()).isEqualTo(1);
    assertThat(s.entropyBits()).isZero();
  }

  @Test
  void certainWrongGuessScoresZeroAtTopOneButCountsTiesAtTopK() {
    double[] p = {0, 0, 1, 0};
    Scores s = new Scorer(2).score(new double[][] {p}, new int[] {3});
    assertThat(s.top1()).isZero();
    // truth ties with users 0 and 1 below one user: second place shared by three
    assertThat(s.topK()).isCloseTo(1.0 / 3, within(1e-12));
  }

  @Test
  void intervalOverSeedsUsesStudentT() {
    Interval i = Interval.of(java.util.List.of(0.5, 0.7), 0);
    assertThat(i.mean()).isCloseTo(0.6, within(1e-12));
    // t(0.975, 1) = 12.706, sd = 0.1414, n = 2
    assertThat(i.high() - i.mean()).isCloseTo(12.706 * 0.1, within(1e-3));
  }
}
