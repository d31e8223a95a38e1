package org.sealpost.lab.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;

/** The report's PNG plots. */
public final class LabPlots {
  private LabPlots() {}

  public static void write(LabResults results, Path dir) throws IOException {
    System.setProperty("java.awt.headless", "true");
    List<LabResults.Row> rows = results.rows();
    Set<String> defences = new LinkedHashSet<>();
    Map<String, Map<String, LabResults.Row>> byAttack = new LinkedHashMap<>();
    for (LabResults.Row r : rows) {
      defences.add(r.defence());
      byAttack.computeIfAbsent(r.attack(), a -> new LinkedHashMap<>()).put(r.defence(), r);
    }
    List<String> x = new ArrayList<>(defences);
    CategoryChart top1 = category("Top-1 linking accuracy (95 % CI)", "top-1 accuracy");
    CategoryChart degree = category("Degree of anonymity H / log2 N", "degree");
    for (Map.Entry<String, Map<String, LabResults.Row>> e : byAttack.entrySet()) {
      List<Double> y = new ArrayList<>();
      List<Double> err = new ArrayList<>();
      List<Double> d = new ArrayList<>();
      for (String def : x) {
        LabResults.Row r = e.getValue().get(def);
        y.add(r == null ? 0 : r.top1().mean());
        err.add(
            r == null
                ? 0
                : Math.max(r.top1().high() - r.top1().mean(), r.top1().mean() - r.top1().low()));
        d.add(r == null ? 0 : r.degree().mean());
      }
      top1.addSeries(e.getKey(), x, y, err);
      degree.addSeries(e.getKey(), x, d);
    }
    if (!rows.isEmpty()) {
      double chance = rows.get(0).chance();
      List<Double> c = new ArrayList<>();
      x.forEach(s -> c.add(chance));
      top1.addSeries("chance 1/(N-1)", x, c);
    }
    BitmapEncoder.saveBitmap(
        top1, dir.resolve("top1.png").toString(), BitmapEncoder.BitmapFormat.PNG);
    BitmapEncoder.saveBitmap(
        degree, dir.resolve("entropy.png").toString(), BitmapEncoder.BitmapFormat.PNG);

    XYChart trade =
        new XYChartBuilder()
            .width(900)
            .height(500)
            .title("Latency vs anonymity: network timing attack")
            .xAxisTitle("median delivery latency (ms)")
            .yAxisTitle("timing attack top-1")
            .build();
    trade.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    trade.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    trade.getStyler().setYAxisMin(0.0);
    trade.getStyler().setYAxisMax(1.0);
    trade.getStyler().setXAxisMin(0.0);
    trade.getStyler().setXAxisDecimalPattern("#,##0");
    trade.getStyler().setYAxisDecimalPattern("0.0#");
    Map<String, LabResults.Row> timing = byAttack.getOrDefault("timing", Map.of());
    for (LabResults.Cost cost : results.costs()) {
      LabResults.Row r = timing.get(cost.defence());
      if (r != null && Double.isFinite(cost.latencyMedianMs())) {
        trade.addSeries(
            cost.defence(),
            new double[] {Math.max(0.1, cost.latencyMedianMs())},
            new double[] {r.top1().mean()});
      }
    }
    // a trade-off needs at least two settings to compare
    if (trade.getSeriesMap().size() >= 2) {
      BitmapEncoder.saveBitmap(
          trade, dir.resolve("tradeoff.png").toString(), BitmapEncoder.BitmapFormat.PNG);
    }
    for (String family : List.of("delay", "batch", "constant-rate")) {
      XYChart sweep = sweep(rows, family);
      if (sweep != null) {
        BitmapEncoder.saveBitmap(
            sweep, dir.resolve(sweepFile(family)).toString(), BitmapEncoder.BitmapFormat.PNG);
      }
    }
  }

  /** The file of a family's sweep plot: accuracy against the defence's parameter. */
  public static String sweepFile(String family) {
    return "sweep-" + family + ".png";
  }

  /**
   * Top-1 of each network attack against the family's parameter (delay mean, batch interval or
   * cover period), with {@code none} at 0 for delay and batch; null unless the run measured at
   * least two settings of the family.
   */
  static XYChart sweep(List<LabResults.Row> rows, String family) {
    Map<String, Map<Double, Double>> byAttack = new LinkedHashMap<>();
    Set<Double> settings = new LinkedHashSet<>();
    for (LabResults.Row r : rows) {
      boolean baseline = "none".equals(r.family()) && !"constant-rate".equals(family);
      if ("network".equals(r.adversary()) && (family.equals(r.family()) || baseline)) {
        if (!baseline) {
          settings.add(r.parameterSeconds());
        }
        byAttack
            .computeIfAbsent(r.attack(), a -> new java.util.TreeMap<>())
            .put(r.parameterSeconds(), r.top1().mean());
      }
    }
    if (settings.size() < 2) {
      return null;
    }
    String x =
        switch (family) {
          case "delay" -> "delivery delay mean (s)";
          case "batch" -> "batch interval (s)";
          default -> "constant-rate period T (s): one block per T each way";
        };
    XYChart c =
        new XYChartBuilder()
            .width(900)
            .height(500)
            .title("Network attacks against " + family + " settings")
            .xAxisTitle(x)
            .yAxisTitle("top-1 accuracy")
            .build();
    c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    c.getStyler().setYAxisMin(0.0);
    c.getStyler().setYAxisMax(1.0);
    c.getStyler().setYAxisDecimalPattern("0.0#");
    for (Map.Entry<String, Map<Double, Double>> e : byAttack.entrySet()) {
      List<Double> xs = new ArrayList<>(e.getValue().keySet());
      List<Double> ys = new ArrayList<>(e.getValue().values());
      c.addSeries(e.getKey(), xs, ys);
    }
    double chance = rows.get(0).chance();
    List<Double> all =
        new ArrayList<>(new java.util.TreeSet<>(byAttack.values().iterator().next().keySet()));
    List<Double> flat = new ArrayList<>();
    all.forEach(v -> flat.add(chance));
    c.addSeries("chance 1/(N-1)", all, flat);
    return c;
  }

  private static CategoryChart category(String title, String y) {
    CategoryChart c =
        new CategoryChartBuilder()
            .width(900)
            .height(500)
            .title(title)
            .xAxisTitle("defence")
            .yAxisTitle(y)
            .build();
    c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    c.getStyler().setYAxisMin(0.0);
    c.getStyler().setYAxisMax(1.0);
    return c;
  }
}
