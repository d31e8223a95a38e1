package org.sealpost.lab;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.sealpost.lab.attack.Attacks;
import org.sealpost.lab.defence.Defence;
import org.sealpost.lab.defence.Defences;
import org.sealpost.lab.model.WorkloadParams;
import org.sealpost.lab.report.LabPlots;
import org.sealpost.lab.report.LabResults;
import org.sealpost.lab.report.ReportWriter;
import org.sealpost.lab.run.ClientPool;
import org.sealpost.lab.run.LabException;
import org.sealpost.lab.run.LabRun;
import org.sealpost.lab.score.Analysis;
import org.sealpost.lab.score.Scorer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The leakage lab in one command ({@code lab/run-lab}): for each defence and seed, a real relay
 * process, the seeded population over real sockets, both adversary views, every attack scored
 * against the ground truth; then {@code report.json}, {@code report.md} and PNG plots.
 */
@Command(
    name = "run-lab",
    mixinStandardHelpOptions = true,
    description = "Measure what a network observer and a relay operator can link, per defence.")
public final class LabMain implements Callable<Integer> {
  @Option(names = "--users", description = "simulated users N (default 100, quick 30)")
  Integer users;

  @Option(names = "--minutes", description = "measured minutes per run (default 0.5)")
  Double minutes;

  @Option(names = "--seed", description = "first seed (default 1)")
  long seed = 1;

  @Option(names = "--seeds", description = "seeds per defence, for intervals (default 3, quick 2)")
  Integer seeds;

  @Option(
      names = "--defence",
      split = ",",
      description =
          "defences: none, delay:<d>[/<max>], batch:<T>[/<k>], constant-rate:<T> (default none)")
  List<String> defences = List.of("none");

  @Option(names = "--top-k", description = "k of the top-k accuracy (default 3)")
  int k = 3;

  @Option(names = "--out", description = "report directory (default lab/results/<date>)")
  Path out;

  @Option(names = "--quick", description = "small, fast run (CI smoke: 30 users, 30 s, 2 seeds)")
  boolean quick;

  @Option(
      names = "--no-operator-view",
      description =
          "run the relay's own application instead of the lab's operator recorder (network view"
              + " only)")
  boolean noOperatorView;

  @Option(names = "--no-progress", description = "no progress bar")
  boolean noProgress;

  public static void main(String[] args) {
    System.exit(new CommandLine(new LabMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    int n = users != null ? users : quick ? 30 : 100;
    double mins = minutes != null ? minutes : 0.5;
    int seedCount = seeds != null ? seeds : quick ? 2 : 3;
    Path dir = out != null ? out : Path.of("lab", "results", LocalDate.now().toString());
    List<Defence> parsed;
    try {
      parsed = Defences.parseAll(defences);
    } catch (IllegalArgumentException e) {
      System.err.println("run-lab: " + e.getMessage());
      return 2;
    }
    WorkloadParams base = WorkloadParams.defaults(n, mins * 60, seed);
    LabResults results = new LabResults(k, base.seconds());
    Analysis analysis = new Analysis(new Scorer(k), Attacks.all());
    List<Long> seedList = new ArrayList<>();
    for (int i = 0; i < seedCount; i++) {
      seedList.add(seed + i);
    }
    try (ClientPool clients = new ClientPool()) {
      for (Defence d : parsed) {
        for (long s : seedList) {
          WorkloadParams params = base.withSeed(s);
          Path raw =
              dir.resolve("raw")
                  .resolve(d.name().replace(':', '-').replace('/', '_'))
                  .resolve("seed-" + s);
          LabRun.Outcome outcome;
          try (ProgressBar bar = bar(d.name() + " seed " + s, (long) params.seconds())) {
            outcome =
                LabRun.run(
                    d,
                    params,
                    raw,
                    !noOperatorView,
                    clients,
                    micros -> {
                      if (bar != null) {
                        bar.stepTo(micros / 1_000_000);
                      }
                    });
          } catch (LabException e) {
            // e.g. the relay refused the defence's flag: say so, measure the other defences
            System.err.println("run-lab: defence " + d.name() + " NOT MEASURED: " + e.getMessage());
            results.notMeasured(d.name(), e.getMessage());
            break;
          }
          Analysis.RunScores scores =
              analysis.analyse(outcome.trace(), d.adversaryScale().toNanos() / 1000, null);
          results.add(d, s, scores);
          double scaleMs = d.adversaryScale().toNanos() / 1e6;
          if (("delay".equals(d.family()) || "batch".equals(d.family()))
              && !(scores.latencyMedianMs() >= scaleMs / 4)) {
            System.err.printf(
                "run-lab: WARNING: %s: median latency %.0f ms is far below the defence's %.0f ms:"
                    + " is the defence wired into the lab's relay application? (try"
                    + " --no-operator-view)%n",
                d.name(), scores.latencyMedianMs(), scaleMs);
          }
          System.out.printf(
              "%s seed %d: %d messages, %d delivered, %d failed sends, timing top-1 %.3f%n",
              d.name(),
              s,
              scores.messages(),
              scores.delivered(),
              outcome.failedSends(),
              scores.attacks().get(0).scores().top1());
        }
      }
    }
    String command = "lab/run-lab " + String.join(" ", commandLine(n, mins, seedCount));
    if (results.defences().isEmpty()) {
      System.err.println("run-lab: no defence could be measured; no report");
      return 1;
    }
    ReportWriter.write(results, base, seedList, command, dir);
    LabPlots.write(results, dir);
    System.out.println("report: " + dir.resolve("report.md"));
    return results.failures().isEmpty() ? 0 : 1;
  }

  private List<String> commandLine(int n, double mins, int seedCount) {
    return List.of(
        "--users", Integer.toString(n),
        "--minutes", Double.toString(mins),
        "--seed", Long.toString(seed),
        "--seeds", Integer.toString(seedCount),
        "--defence", String.join(",", defences));
  }

  /**
   * A progress bar (null with --no-progress); ProgressBar is AutoCloseable, null is fine in try.
   */
  private ProgressBar bar(String task, long max) {
    if (noProgress) {
      return null;
    }
    return new ProgressBarBuilder()
        .setTaskName(task)
        .setInitialMax(Math.max(1, max))
        .setStyle(ProgressBarStyle.ASCII)
        .setUnit(" s", 1)
        .setUpdateIntervalMillis(500)
        .build();
  }
}
