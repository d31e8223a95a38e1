package org.sealpost.lab.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.sealpost.lab.score.Interval;

class LabPlotsTest {
  private static LabResults.Row row(String family, double parameter, String attack, double top1) {
    Interval i = Interval.of(List.of(top1), 0);
    String name = family.equals("none") ? "none" : family + ":" + parameter + "s";
    return new LabResults.Row(name, family, parameter, attack, "network", 100, 0.01, i, i, i, i, i);
  }

  @Test
  void aSweepPlotsEachNetworkAttackAgainstTheParameterWithNoneAtZero() {
    List<LabResults.Row> rows = new ArrayList<>();
    rows.add(row("none", 0, "timing", 0.9));
    rows.add(row("delay", 1, "timing", 0.15));
    rows.add(row("delay", 5, "timing", 0.04));
    rows.add(row("batch", 2, "timing", 0.03));
    rows.add(row("constant-rate", 0.2, "timing", 0.005));

    XYChart delay = LabPlots.sweep(rows, "delay");
    assertThat(delay).isNotNull();
    XYSeries timing = delay.getSeriesMap().get("timing");
    assertThat(timing.getXData()).containsExactly(0.0, 1.0, 5.0);
    assertThat(timing.getYData()).containsExactly(0.9, 0.15, 0.04);
    assertThat(delay.getSeriesMap()).containsKey("chance 1/(N-1)");

    // one setting of a family is not a sweep
    assertThat(LabPlots.sweep(rows, "batch")).isNull();
    assertThat(LabPlots.sweep(rows, "constant-rate")).isNull();
  }
}
