package org.sealpost.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {
  @Test
  void medianOfOddAndEvenCountsIgnoresMissingFigures() {
    assertThat(Stats.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
    assertThat(Stats.median(List.of(4.0, 1.0, 2.0, 3.0))).isEqualTo(2.5);
    assertThat(Stats.median(List.of(Double.NaN, 5.0))).isEqualTo(5.0);
    assertThat(Stats.median(List.of())).isNaN();
  }

  @Test
  void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
    // from PairedRuns, where a run that did not measure a figure is NaN
    assertThat(Stats.median(List.of(4.0, Double.NaN, 1.0, 3.0, 2.0))).isEqualTo(2.5);
    assertThat(Stats.median(List.of(7.0))).isEqualTo(7.0);
    assertThat(Stats.median(List.of(Double.NaN))).isNaN();
  }
}
