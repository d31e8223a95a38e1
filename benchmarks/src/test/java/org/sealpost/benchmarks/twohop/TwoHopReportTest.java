package org.sealpost.benchmarks.twohop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sealpost.benchmarks.load.LatencyRecorder;
import org.sealpost.benchmarks.load.PhaseResult;
import org.sealpost.benchmarks.load.ResourceSampler;
import org.sealpost.benchmarks.twohop.TwoHopMain.ModeRun;

class TwoHopReportTest {

  /** A phase of {@code delivered} messages at {@code rate}, every latency {@code latencyMs}. */
  private static PhaseResult phase(long delivered, double rate, long latencyMs) {
    LatencyRecorder lat = new LatencyRecorder();
    for (int i = 0; i < 100; i++) {
      lat.record(0, 0, latencyMs * 1_000_000L);
    }
    ResourceSampler.Usage usage = new ResourceSampler.Usage(0, 0, 0, 0, 0, 0, 0, 0, List.of());
    return new PhaseResult(
        "p",
        0,
        delivered,
        delivered,
        0,
        delivered,
        0,
        delivered / rate,
        rate,
        lat.corrected(),
        lat.uncorrected(),
        usage,
        true);
  }

  /** 1,000 messages per phase; CPU in seconds per relay so that µs/msg = seconds × 1,000. */
  private static ModeRun run(String mode, int round, double first, double dest, long p99Ms) {
    return new ModeRun(
        mode,
        round,
        phase(1000, 1000, p99Ms),
        phase(1000, 500, p99Ms),
        new RelayCpu.Split(first, dest),
        new RelayCpu.Split(first, dest));
  }

  @Test
  void ratiosAreTakenWithinARoundAndTheTargetsChecked() {
    List<ModeRun> runs = new ArrayList<>();
    // direct: destination 0.2 s per 1,000 = 200 µs/msg; rounds differ a lot (a noisy machine)
    runs.add(run("direct", 1, 0.0, 0.2, 10));
    runs.add(run("send", 1, 0.25, 0.4, 15)); // F 250 µs: 1.25× the same round's direct
    runs.add(run("direct", 2, 0.0, 0.4, 40));
    runs.add(run("send", 2, 0.52, 0.8, 100)); // F 520 µs: 1.3×; p99 2.5×
    runs.add(run("direct", 3, 0.0, 0.1, 20));
    runs.add(run("send", 3, 0.2, 0.2, 50)); // F 2.0×; p99 2.5×

    TwoHopReport report = new TwoHopReport(runs, Map.of(), "now", "0 / 0 / 0");
    @SuppressWarnings("unchecked")
    Map<String, Object> ratios = (Map<String, Object>) report.json().get("sameRoundRatios");

    // medians of same-round ratios, not ratios of medians (which would give 250/200 = 1.25)
    assertThat((double) ratios.get("sendFirstCpuFull")).isCloseTo(1.3, within());
    assertThat((double) ratios.get("sendP99Half")).isCloseTo(2.5, within());
    assertThat((double) ratios.get("receiveP99Half")).isNaN();
    String md = report.markdown("cmd");
    assertThat(md)
        .contains(
            "| first relay CPU per message (two-hop) / destination CPU per message (direct), full"
                + " load | 1.30× | NaN× | ≤ 1.5× (send) | yes |")
        .contains("| p99 send→deliver, half load | 2.50× | NaN× | ≤ 2.0× (send) | **no** |");
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(0.01);
  }
}
