package org.sealpost.benchmarks.twohop;

import static org.sealpost.benchmarks.twohop.TwoHopMain.map;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import org.sealpost.benchmarks.load.PhaseResult;
import org.sealpost.benchmarks.load.Stats;
import org.sealpost.benchmarks.twohop.TwoHopMain.ModeRun;

/**
 * The figures of a two-hop run: per mode the medians over rounds, per round the ratios of each
 * two-hop mode to the direct run of the same round (medians of those), and the targets.
 */
final class TwoHopReport {
  /** Two-hop send may cost the first relay this many times a direct Send on the destination. */
  static final double CPU_TARGET = 1.5;

  /** Two-hop p99 at half load may be this many times direct. */
  static final double P99_TARGET = 2.0;

  private final List<ModeRun> runs;
  private final Map<String, String> machine;
  private final String started;
  private final String loadAtEnd;

  TwoHopReport(List<ModeRun> runs, Map<String, String> machine, String started, String loadAtEnd) {
    this.runs = List.copyOf(runs);
    this.machine = machine;
    this.started = started;
    this.loadAtEnd = loadAtEnd;
  }

  // per-run figures

  static double fullRate(ModeRun r) {
    return r.full().messagesPerSecond();
  }

  static double halfP99Ms(ModeRun r) {
    return r.half().latencyCorrected().p99() / 1000.0;
  }

  static double fullP99Ms(ModeRun r) {
    return r.full().latencyCorrected().p99() / 1000.0;
  }

  static double firstFullMicros(ModeRun r) {
    return perMessage(r.cpuFull().firstSeconds(), r.full().delivered());
  }

  static double destFullMicros(ModeRun r) {
    return perMessage(r.cpuFull().destinationSeconds(), r.full().delivered());
  }

  static double firstHalfMicros(ModeRun r) {
    return perMessage(r.cpuHalf().firstSeconds(), r.half().delivered());
  }

  static double destHalfMicros(ModeRun r) {
    return perMessage(r.cpuHalf().destinationSeconds(), r.half().delivered());
  }

  private static double perMessage(double seconds, long messages) {
    return messages == 0 ? Double.NaN : seconds * 1e6 / messages;
  }

  static String progressLine(ModeRun r, long sealedInline, long verifyFailures) {
    return String.format(
        Locale.ROOT,
        "round %d %-7s full: %,.0f msg/s, p99 %.1f ms, CPU µs/msg first %.0f dest %.0f | half"
            + " (%,.0f msg/s): p99 %.1f ms, CPU µs/msg first %.0f dest %.0f | load generator"
            + " µs/msg %.0f / %.0f | failures %d, complete %s/%s, sealed inline %d, verify"
            + " failures %d",
        r.round(),
        r.mode(),
        fullRate(r),
        fullP99Ms(r),
        firstFullMicros(r),
        destFullMicros(r),
        r.half().targetRate(),
        halfP99Ms(r),
        firstHalfMicros(r),
        destHalfMicros(r),
        r.full().loadGeneratorCpuMicrosPerMessage(),
        r.half().loadGeneratorCpuMicrosPerMessage(),
        r.full().sendFailures() + r.half().sendFailures(),
        r.full().complete(),
        r.half().complete(),
        sealedInline,
        verifyFailures);
  }

  private List<ModeRun> of(String mode) {
    return runs.stream().filter(r -> r.mode().equals(mode)).toList();
  }

  private double medianOf(String mode, ToDoubleFunction<ModeRun> f) {
    return Stats.median(of(mode).stream().map(f::applyAsDouble).toList());
  }

  private Optional<ModeRun> direct(int round) {
    return runs.stream().filter(r -> r.mode().equals("direct") && r.round() == round).findFirst();
  }

  /** Median over rounds of {@code f(two-hop run) / g(direct run of the same round)}. */
  private double sameRoundRatio(
      String mode, ToDoubleFunction<ModeRun> f, ToDoubleFunction<ModeRun> g) {
    List<Double> ratios = new ArrayList<>();
    for (ModeRun r : of(mode)) {
      direct(r.round()).ifPresent(d -> ratios.add(f.applyAsDouble(r) / g.applyAsDouble(d)));
    }
    return Stats.median(ratios);
  }

  String markdown(String command) {
    StringBuilder sb = new StringBuilder();
    sb.append("Command: `").append(command).append("`  \n");
    sb.append("Started ").append(started).append("; ");
    machine.forEach((k, v) -> sb.append(k).append(": ").append(v).append("; "));
    sb.append("load average at end: ").append(loadAtEnd).append("\n\n");
    sb.append(
        "| mode | rounds | full load: delivered msg/s | full: p99 ms | full: CPU µs/msg first"
            + " relay | full: CPU µs/msg destination | half load: p99 ms | half: CPU µs/msg first"
            + " relay | half: CPU µs/msg destination |\n");
    sb.append("|---|---|---|---|---|---|---|---|---|\n");
    for (String mode : List.of("direct", "send", "receive")) {
      if (of(mode).isEmpty()) {
        continue;
      }
      sb.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %,.0f | %.1f | %.0f | %.0f | %.1f | %.0f | %.0f |\n",
              mode,
              of(mode).size(),
              medianOf(mode, TwoHopReport::fullRate),
              medianOf(mode, TwoHopReport::fullP99Ms),
              medianOf(mode, TwoHopReport::firstFullMicros),
              medianOf(mode, TwoHopReport::destFullMicros),
              medianOf(mode, TwoHopReport::halfP99Ms),
              medianOf(mode, TwoHopReport::firstHalfMicros),
              medianOf(mode, TwoHopReport::destHalfMicros)));
    }
    sb.append("\nMedians over rounds. Same-round ratios (two-hop / direct of the same round),")
        .append(" medians over rounds:\n\n");
    sb.append("| ratio | send | receive | target | met |\n|---|---|---|---|---|\n");
    ratioRow(sb, "delivered msg/s, full load", TwoHopReport::fullRate, TwoHopReport::fullRate, 0);
    ratioRow(
        sb,
        "first relay CPU per message (two-hop) / destination CPU per message (direct), full load",
        TwoHopReport::firstFullMicros,
        TwoHopReport::destFullMicros,
        CPU_TARGET);
    ratioRow(
        sb,
        "first relay CPU per message (two-hop) / destination CPU per message (direct), half load",
        TwoHopReport::firstHalfMicros,
        TwoHopReport::destHalfMicros,
        CPU_TARGET);
    ratioRow(
        sb,
        "destination CPU per message (two-hop) / (direct), full load",
        TwoHopReport::destFullMicros,
        TwoHopReport::destFullMicros,
        0);
    ratioRow(
        sb,
        "p99 send→deliver, half load",
        TwoHopReport::halfP99Ms,
        TwoHopReport::halfP99Ms,
        P99_TARGET);
    ratioRow(
        sb, "p99 send→deliver, full load", TwoHopReport::fullP99Ms, TwoHopReport::fullP99Ms, 0);
    sb.append("\nEvery run:\n\n");
    for (ModeRun r : runs) {
      sb.append("- ")
          .append(progressLine(r, 0, 0).replaceAll(", sealed inline.*$", ""))
          .append('\n');
    }
    return sb.toString();
  }

  private void ratioRow(
      StringBuilder sb,
      String name,
      ToDoubleFunction<ModeRun> f,
      ToDoubleFunction<ModeRun> g,
      double target) {
    double send = sameRoundRatio("send", f, g);
    double receive = sameRoundRatio("receive", f, g);
    String t = target > 0 ? String.format(Locale.ROOT, "≤ %.1f× (send)", target) : "—";
    String met =
        target > 0 ? (Double.isNaN(send) ? "not measured" : send <= target ? "yes" : "**no**") : "";
    sb.append(
        String.format(
            Locale.ROOT, "| %s | %.2f× | %.2f× | %s | %s |\n", name, send, receive, t, met));
  }

  private static Map<String, Object> phase(PhaseResult p) {
    return map(
        "targetRate", p.targetRate(),
        "sent", p.sent(),
        "delivered", p.delivered(),
        "sendFailures", p.sendFailures(),
        "duplicates", p.duplicates(),
        "seconds", p.seconds(),
        "messagesPerSecond", p.messagesPerSecond(),
        "p50Micros", p.latencyCorrected().p50(),
        "p99Micros", p.latencyCorrected().p99(),
        "p999Micros", p.latencyCorrected().p999(),
        "loadGeneratorCpuMicrosPerMessage", p.loadGeneratorCpuMicrosPerMessage(),
        "complete", p.complete());
  }

  Map<String, Object> json() {
    List<Object> all = new ArrayList<>();
    for (ModeRun r : runs) {
      all.add(
          map(
              "mode", r.mode(),
              "round", r.round(),
              "fullLoad", phase(r.full()),
              "halfLoad", phase(r.half()),
              "cpuMicrosPerMessage",
                  map(
                      "firstFull", firstFullMicros(r),
                      "destinationFull", destFullMicros(r),
                      "firstHalf", firstHalfMicros(r),
                      "destinationHalf", destHalfMicros(r))));
    }
    return map(
        "started",
        started,
        "machine",
        machine,
        "loadAverageAtEnd",
        loadAtEnd,
        "runs",
        all,
        "sameRoundRatios",
        map(
            "sendFirstCpuFull",
            sameRoundRatio("send", TwoHopReport::firstFullMicros, TwoHopReport::destFullMicros),
            "sendFirstCpuHalf",
            sameRoundRatio("send", TwoHopReport::firstHalfMicros, TwoHopReport::destHalfMicros),
            "sendP99Half",
            sameRoundRatio("send", TwoHopReport::halfP99Ms, TwoHopReport::halfP99Ms),
            "receiveP99Half",
            sameRoundRatio("receive", TwoHopReport::halfP99Ms, TwoHopReport::halfP99Ms)));
  }
}
