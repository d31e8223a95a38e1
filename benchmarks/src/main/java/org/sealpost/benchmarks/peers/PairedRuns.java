package org.sealpost.benchmarks.peers;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.sealpost.benchmarks.load.Stats;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Summarises alternated runs of two builds ({@code benchmarks/run-ab}): the comparison reports in
 * {@code a-1, b-1, a-2, b-2, ...} under one directory, as one table per peer of the figures issue
 * 13 is judged on, each with every run's value, the median of each side and the median of the
 * pairs' ratios B/A. Noisy machines make single runs meaningless; ratios within a pair, run minutes
 * apart, are what the project quotes (docs/benchmarks.md).
 */
@Command(
    name = "paired-runs",
    mixinStandardHelpOptions = true,
    description = "Medians and pair ratios of alternated A/B comparison runs.")
public final class PairedRuns implements Callable<Integer> {
  private static final Pattern RUN = Pattern.compile("([ab])-(\\d+)");

  /** One figure of a peer's report; empty when the run did not measure it. */
  record Figure(String name, Function<JsonObject, Optional<Double>> read) {}

  static final List<Figure> FIGURES =
      List.of(
          new Figure("W1 closed loop msg/s", p -> at(p, "w1.closedLoop.messagesPerSecond")),
          new Figure(
              "W1 relay CPU µs/msg (closed)",
              p -> at(p, "w1.closedLoop.usage.peerCpuMicrosPerMessage")),
          new Figure(
              "W1 load generator CPU µs/msg (closed)",
              p -> at(p, "w1.closedLoop.usage.loadGeneratorCpuMicrosPerMessage")),
          new Figure("W1 open loop msg/s offered", p -> at(p, "w1.openLoop.targetRate")),
          new Figure(
              "W1 open loop p99 ms (CO-corrected)",
              p -> at(p, "w1.openLoop.latencyCorrectedMicros.p99").map(v -> v / 1000)),
          new Figure(
              "W1 blocks in per message (whole W1)", p -> at(p, "extended.w1BlocksPerMessage.in")),
          new Figure(
              "W1 blocks out per message (whole W1)",
              p -> at(p, "extended.w1BlocksPerMessage.out")),
          new Figure("W2 drain msg/s", p -> at(p, "w2.drain.messagesPerSecond")),
          new Figure(
              "W5 restart s (stop to listening)",
              p -> at(p, "extended.w5ReconnectStorm.restartSeconds")),
          new Figure("W5 storm s", p -> complete(p).flatMap(w5 -> at(w5, "stormSeconds"))),
          new Figure(
              "W5 relay CPU ms/session",
              p -> complete(p).flatMap(w5 -> at(w5, "relayCpuMillisPerSession"))));

  /** One run's report: side A or B, its pair, and its peers by name. */
  record Run(boolean b, int pair, Map<String, JsonObject> peers) {}

  @Parameters(index = "0", description = "directory holding a-1, b-1, a-2, b-2, ...")
  Path dir;

  public static void main(String[] args) {
    System.exit(new CommandLine(new PairedRuns()).execute(args));
  }

  @Override
  public Integer call() throws IOException {
    String md = markdown(load(dir));
    Files.writeString(dir.resolve("paired.md"), md);
    System.out.print(md);
    return 0;
  }

  /** Reads every {@code a-N/report.json} and {@code b-N/report.json} under {@code dir}. */
  static List<Run> load(Path dir) throws IOException {
    List<Run> runs = new ArrayList<>();
    try (Stream<Path> children = Files.list(dir)) {
      for (Path child : children.sorted().toList()) {
        Matcher m = RUN.matcher(child.getFileName().toString());
        Path report = child.resolve("report.json");
        if (!m.matches() || !Files.isRegularFile(report)) {
          continue;
        }
        JsonObject json = new JsonObject(Files.readString(report));
        Map<String, JsonObject> peers = new LinkedHashMap<>();
        for (Object p : json.getJsonArray("peers")) {
          JsonObject peer = (JsonObject) p;
          if (peer.getValue("error") == null) {
            peers.put(peer.getString("name"), peer);
          }
        }
        runs.add(new Run(m.group(1).equals("b"), Integer.parseInt(m.group(2)), peers));
      }
    }
    return runs;
  }

  /** One table per peer present in any run; a pair counts in a ratio only if both sides have it. */
  static String markdown(List<Run> runs) {
    Set<String> names = new LinkedHashSet<>();
    runs.forEach(r -> names.addAll(r.peers().keySet()));
    int pairs = runs.stream().mapToInt(Run::pair).max().orElse(0);
    StringBuilder md = new StringBuilder();
    md.append("# Alternated A/B runs: ")
        .append(pairs)
        .append(" pairs\n\nEach cell lists the runs in pair order; a dash is a run that did not")
        .append(" measure the figure (a failed peer, an incomplete storm). B/A is the median of")
        .append(" the pairs' own ratios.\n");
    for (String name : names) {
      md.append("\n## ")
          .append(name)
          .append(
              "\n\n| figure | A | B | median A | median B | B/A |\n|---|---|---|---|---|---|\n");
      for (Figure f : FIGURES) {
        md.append(row(f, name, runs, pairs));
      }
    }
    return md.toString();
  }

  /** The figure's row for one peer, or nothing when no run measured it. */
  private static String row(Figure f, String name, List<Run> runs, int pairs) {
    List<Double> a = new ArrayList<>(Collections.nCopies(pairs, Double.NaN));
    List<Double> b = new ArrayList<>(Collections.nCopies(pairs, Double.NaN));
    for (Run r : runs) {
      JsonObject peer = r.peers().get(name);
      if (peer != null) {
        f.read().apply(peer).ifPresent(v -> (r.b() ? b : a).set(r.pair() - 1, v));
      }
    }
    if (Double.isNaN(Stats.median(a)) && Double.isNaN(Stats.median(b))) {
      return "";
    }
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < pairs; i++) {
      ratios.add(a.get(i) == 0 ? Double.NaN : b.get(i) / a.get(i)); // NaN if either is missing
    }
    double ratio = Stats.median(ratios);
    return String.format(
        Locale.ROOT,
        "| %s | %s | %s | %s | %s | %s |\n",
        f.name(),
        String.join(", ", a.stream().map(PairedRuns::fmt).toList()),
        String.join(", ", b.stream().map(PairedRuns::fmt).toList()),
        fmt(Stats.median(a)),
        fmt(Stats.median(b)),
        Double.isNaN(ratio) ? "–" : String.format(Locale.ROOT, "%.3f", ratio));
  }

  private static Optional<JsonObject> complete(JsonObject peer) {
    JsonObject ext = peer.getJsonObject("extended");
    JsonObject w5 = ext == null ? null : ext.getJsonObject("w5ReconnectStorm");
    return w5 != null && Boolean.TRUE.equals(w5.getBoolean("complete"))
        ? Optional.of(w5)
        : Optional.empty();
  }

  /** The number at a dotted path, if every step is there. */
  static Optional<Double> at(JsonObject o, String path) {
    String[] steps = path.split("\\.");
    JsonObject cur = o;
    for (int i = 0; i < steps.length - 1 && cur != null; i++) {
      Object next = cur.getValue(steps[i]);
      cur = next instanceof JsonObject j ? j : null;
    }
    Object v = cur == null ? null : cur.getValue(steps[steps.length - 1]);
    return v instanceof Number n ? Optional.of(n.doubleValue()) : Optional.empty();
  }

  private static String fmt(double v) {
    return Double.isNaN(v)
        ? "–"
        : String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%,.0f" : "%.2f", v);
  }
}
