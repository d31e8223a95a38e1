package org.sealpost.lab.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sealpost.lab.defence.Defence;
import org.sealpost.lab.score.Analysis;
import org.sealpost.lab.score.Interval;

/** Results of a whole lab run: per defence, per seed, aggregated with intervals over seeds. */
public final class LabResults {
  /** One defence's runs. */
  public record DefenceRuns(Defence defence, List<Long> seeds, List<Analysis.RunScores> runs) {}

  /** One (defence, attack) row of the report. */
  public record Row(
      String defence,
      String family,
      double parameterSeconds,
      String attack,
      String adversary,
      int queries,
      double chance,
      Interval top1,
      Interval topK,
      Interval advantage,
      Interval entropyBits,
      Interval degree) {}

  /** One defence's cost. */
  public record Cost(
      String defence,
      double latencyMedianMs,
      double latencyP99Ms,
      double addedMedianMs,
      double addedP99Ms,
      double blocksPerUserMinute,
      double coverPerReal) {}

  private final Map<String, DefenceRuns> byDefence = new LinkedHashMap<>();
  private final Map<String, String> failures = new LinkedHashMap<>();
  private final int k;
  private final double seconds;

  public LabResults(int k, double seconds) {
    this.k = k;
    this.seconds = seconds;
  }

  public void add(Defence d, long seed, Analysis.RunScores run) {
    DefenceRuns r =
        byDefence.computeIfAbsent(
            d.name(), x -> new DefenceRuns(d, new ArrayList<>(), new ArrayList<>()));
    r.seeds().add(seed);
    r.runs().add(run);
  }

  /** A defence that could not be measured (e.g. the relay refused its flag), with the reason. */
  public void notMeasured(String defence, String reason) {
    byDefence.remove(defence);
    failures.put(defence, reason);
  }

  public Map<String, String> failures() {
    return java.util.Collections.unmodifiableMap(failures);
  }

  public int k() {
    return k;
  }

  public List<DefenceRuns> defences() {
    return List.copyOf(byDefence.values());
  }

  public List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    for (DefenceRuns dr : byDefence.values()) {
      List<Analysis.AttackScores> first = dr.runs().get(0).attacks();
      for (int a = 0; a < first.size(); a++) {
        String attack = first.get(a).attack();
        List<Double> top1 = new ArrayList<>();
        List<Double> topK = new ArrayList<>();
        List<Double> adv = new ArrayList<>();
        List<Double> h = new ArrayList<>();
        List<Double> deg = new ArrayList<>();
        int queries = 0;
        double chance = dr.runs().get(0).chance();
        double top1Err = 0;
        double hErr = 0;
        for (Analysis.RunScores run : dr.runs()) {
          for (Analysis.AttackScores s : run.attacks()) {
            if (s.attack().equals(attack)) {
              top1.add(s.scores().top1());
              topK.add(s.scores().topK());
              adv.add(s.scores().top1() - run.chance());
              h.add(s.scores().entropyBits());
              deg.add(s.scores().degree());
              queries += s.scores().queries();
              top1Err = s.scores().top1StdErr();
              hErr = s.scores().entropyStdErr();
            }
          }
        }
        double degErr = hErr / (Math.log(dr.runs().get(0).users()) / Math.log(2));
        rows.add(
            new Row(
                dr.defence().name(),
                dr.defence().family(),
                dr.defence().parameterSeconds(),
                attack,
                first.get(a).adversary(),
                queries,
                chance,
                Interval.of(top1, top1Err).clamp(0, 1),
                Interval.of(topK, top1Err).clamp(0, 1),
                Interval.of(adv, top1Err).clamp(-chance, 1 - chance),
                Interval.of(h, hErr),
                Interval.of(deg, degErr).clamp(0, 1)));
      }
    }
    return rows;
  }

  public List<Cost> costs() {
    DefenceRuns none = byDefence.get("none");
    List<Cost> out = new ArrayList<>();
    for (DefenceRuns dr : byDefence.values()) {
      double med =
          mean(dr.runs().stream().mapToDouble(Analysis.RunScores::latencyMedianMs).toArray());
      double p99 = mean(dr.runs().stream().mapToDouble(Analysis.RunScores::latencyP99Ms).toArray());
      double blocks = mean(dr.runs().stream().mapToDouble(r -> r.blocks()).toArray());
      int users = dr.runs().get(0).users();
      double addedMed = Double.NaN;
      double addedP99 = Double.NaN;
      double cover = Double.NaN;
      if (none != null) {
        addedMed =
            med
                - mean(
                    none.runs().stream()
                        .mapToDouble(Analysis.RunScores::latencyMedianMs)
                        .toArray());
        addedP99 =
            p99
                - mean(
                    none.runs().stream().mapToDouble(Analysis.RunScores::latencyP99Ms).toArray());
        double noneBlocks = mean(none.runs().stream().mapToDouble(r -> r.blocks()).toArray());
        cover = blocks / noneBlocks - 1;
      }
      out.add(
          new Cost(
              dr.defence().name(),
              med,
              p99,
              addedMed,
              addedP99,
              blocks / users / (seconds / 60),
              cover));
    }
    return out;
  }

  private static double mean(double[] v) {
    double s = 0;
    int n = 0;
    for (double x : v) {
      if (!Double.isNaN(x)) {
        s += x;
        n++;
      }
    }
    return n == 0 ? Double.NaN : s / n;
  }
}
