package org.sealpost.lab.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.sealpost.lab.model.WorkloadParams;
import org.sealpost.lab.score.Interval;

/** Writes {@code report.json} and {@code report.md} (the plots are {@link LabPlots}). */
public final class ReportWriter {
  private ReportWriter() {}

  public static void write(
      LabResults results, WorkloadParams params, List<Long> seeds, String command, Path dir)
      throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("report.json"), json(results, params, seeds, command));
    Files.writeString(dir.resolve("report.md"), markdown(results, params, seeds, command));
  }

  static String json(LabResults r, WorkloadParams p, List<Long> seeds, String command) {
    StringBuilder b = new StringBuilder("{\n");
    b.append("  \"command\": ").append(str(command)).append(",\n");
    b.append("  \"workload\": {\"users\": ")
        .append(p.users())
        .append(", \"seconds\": ")
        .append(num(p.seconds()))
        .append(", \"contacts\": ")
        .append(p.contacts())
        .append(", \"zipfExponent\": ")
        .append(num(p.zipfExponent()))
        .append(", \"sendIntervalSeconds\": ")
        .append(num(p.sendIntervalSeconds()))
        .append(", \"alwaysOnline\": ")
        .append(num(p.alwaysOnline()))
        .append(", \"sessionSeconds\": ")
        .append(num(p.sessionSeconds()))
        .append(", \"seeds\": ")
        .append(seeds)
        .append("},\n");
    b.append("  \"k\": ").append(r.k()).append(",\n  \"rows\": [\n");
    List<LabResults.Row> rows = r.rows();
    for (int i = 0; i < rows.size(); i++) {
      LabResults.Row row = rows.get(i);
      b.append("    {\"defence\": ")
          .append(str(row.defence()))
          .append(", \"attack\": ")
          .append(str(row.attack()))
          .append(", \"adversary\": ")
          .append(str(row.adversary()))
          .append(", \"queries\": ")
          .append(row.queries())
          .append(", \"chance\": ")
          .append(num(row.chance()))
          .append(", \"top1\": ")
          .append(interval(row.top1()))
          .append(", \"topK\": ")
          .append(interval(row.topK()))
          .append(", \"advantage\": ")
          .append(interval(row.advantage()))
          .append(", \"entropyBits\": ")
          .append(interval(row.entropyBits()))
          .append(", \"degree\": ")
          .append(interval(row.degree()))
          .append("}")
          .append(i + 1 < rows.size() ? ",\n" : "\n");
    }
    b.append("  ],\n  \"costs\": [\n");
    List<LabResults.Cost> costs = r.costs();
    for (int i = 0; i < costs.size(); i++) {
      LabResults.Cost c = costs.get(i);
      b.append("    {\"defence\": ")
          .append(str(c.defence()))
          .append(", \"latencyMedianMs\": ")
          .append(num(c.latencyMedianMs()))
          .append(", \"latencyP99Ms\": ")
          .append(num(c.latencyP99Ms()))
          .append(", \"addedMedianMs\": ")
          .append(num(c.addedMedianMs()))
          .append(", \"addedP99Ms\": ")
          .append(num(c.addedP99Ms()))
          .append(", \"blocksPerUserMinute\": ")
          .append(num(c.blocksPerUserMinute()))
          .append(", \"coverPerReal\": ")
          .append(num(c.coverPerReal()))
          .append("}")
          .append(i + 1 < costs.size() ? ",\n" : "\n");
    }
    b.append("  ],\n  \"notMeasured\": {");
    List<String> failed = new java.util.ArrayList<>();
    r.failures().forEach((d, why) -> failed.add(str(d) + ": " + str(why)));
    return b.append(String.join(", ", failed)).append("}\n}\n").toString();
  }

  static String markdown(LabResults r, WorkloadParams p, List<Long> seeds, String command) {
    StringBuilder b = new StringBuilder("# Leakage lab result\n\n");
    b.append("Command: `").append(command).append("`\n\n");
    b.append(
        String.format(
            Locale.ROOT,
            "Workload: %d users, %.0f s measured, %d contacts each (Zipf s = %.1f), one send per"
                + " %.0f s while online (Poisson), %.0f %% always online, others online/offline"
                + " for %.0f s on average; seeds %s. Chance = 1/(N−1) = %.4f. Intervals: 95 %%"
                + " over seeds (Student t); with one seed, over messages (optimistic).%n%n",
            p.users(),
            p.seconds(),
            p.contacts(),
            p.zipfExponent(),
            p.sendIntervalSeconds(),
            100 * p.alwaysOnline(),
            p.sessionSeconds(),
            seeds,
            1.0 / (p.users() - 1)));
    b.append("## Linking\n\n");
    b.append("| defence | attack | adversary | messages | top-1 | top-")
        .append(r.k())
        .append(" | advantage over chance | entropy H (bits) | degree H/log2 N |\n");
    b.append("|---|---|---|---:|---|---|---|---|---|\n");
    for (LabResults.Row row : r.rows()) {
      b.append("| ")
          .append(row.defence())
          .append(" | ")
          .append(row.attack())
          .append(" | ")
          .append(row.adversary())
          .append(" | ")
          .append(row.queries())
          .append(" | ")
          .append(md(row.top1()))
          .append(" | ")
          .append(md(row.topK()))
          .append(" | ")
          .append(md(row.advantage()))
          .append(" | ")
          .append(md(row.entropyBits()))
          .append(" | ")
          .append(md(row.degree()))
          .append(" |\n");
    }
    b.append("\n## Cost\n\n");
    b.append(
        "| defence | latency median (ms) | p99 (ms) | added median (ms) | added p99 (ms) |"
            + " blocks per user-minute | cover / real blocks |\n");
    b.append("|---|---:|---:|---:|---:|---:|---:|\n");
    for (LabResults.Cost c : r.costs()) {
      b.append(
          String.format(
              Locale.ROOT,
              "| %s | %.1f | %.1f | %.1f | %.1f | %.1f | %.2f |%n",
              c.defence(),
              c.latencyMedianMs(),
              c.latencyP99Ms(),
              c.addedMedianMs(),
              c.addedP99Ms(),
              c.blocksPerUserMinute(),
              c.coverPerReal()));
    }
    if (!r.failures().isEmpty()) {
      b.append("\n## Not measured\n\n");
      r.failures()
          .forEach(
              (d, why) ->
                  b.append("- `")
                      .append(d)
                      .append("`: ")
                      .append(why.replace('\n', ' '))
                      .append('\n'));
    }
    b.append(
        "\nPlots: `top1.png` (top-1 per defence and attack, chance as a line),"
            + " `tradeoff.png` (median latency vs timing top-1, with two defences or more), `entropy.png` (degree of"
            + " anonymity per defence and attack).\n");
    return b.toString();
  }

  private static String md(Interval i) {
    return String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", i.mean(), i.low(), i.high());
  }

  private static String interval(Interval i) {
    return "{\"mean\": "
        + num(i.mean())
        + ", \"low\": "
        + num(i.low())
        + ", \"high\": "
        + num(i.high())
        + ", \"seeds\": "
        + i.seeds()
        + "}";
  }

  private static String num(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "null";
  }

  private static String str(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
