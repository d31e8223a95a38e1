package org.sealpost.benchmarks.load;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG plots of a comparison: W1 throughput over time and the open-loop latency CDF. */
final class Plots {
  private Plots() {}

  static void write(ComparisonReport report, Path dir) throws IOException {
    System.setProperty("java.awt.headless", "true");
    XYChart throughput =
        new XYChartBuilder()
            .width(900)
            .height(500)
            .title("W1 closed loop: delivered messages per second")
            .xAxisTitle("seconds")
            .yAxisTitle("msg/s (log)")
            .build();
    throughput.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    throughput.getStyler().setYAxisLogarithmic(true);
    XYChart cdf =
        new XYChartBuilder()
            .width(900)
            .height(500)
            .title("W1 open loop at 50 % of peak: send→deliver latency (CO-corrected)")
            .xAxisTitle("latency ms (log)")
            .yAxisTitle("fraction of messages delivered within")
            .build();
    cdf.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    cdf.getStyler().setXAxisLogarithmic(true);
    boolean anyThroughput = false;
    boolean anyCdf = false;
    for (PeerRun r : report.runs()) {
      if (r.w1() == null) {
        continue;
      }
      List<Double> xs = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      for (double[] p : r.w1().closedLoop().usage().throughput()) {
        if (p[1] > 0) {
          xs.add(p[0]);
          ys.add(p[1]);
        }
      }
      if (!xs.isEmpty()) {
        XYSeries s = throughput.addSeries(r.peer().name(), xs, ys);
        s.setMarker(SeriesMarkers.NONE);
        anyThroughput = true;
      }
      LatencyRecorder.Summary lat = r.w1().openLoop().latencyCorrected();
      List<Double> lx = new ArrayList<>();
      List<Double> ly = new ArrayList<>();
      for (double[] p : lat.cdf()) {
        lx.add(Math.max(0.001, p[0] / 1000.0));
        ly.add(p[1]);
      }
      if (!lx.isEmpty()) {
        XYSeries s = cdf.addSeries(r.peer().name(), lx, ly);
        s.setMarker(SeriesMarkers.NONE);
        anyCdf = true;
      }
    }
    if (anyThroughput) {
      BitmapEncoder.saveBitmap(
          throughput, dir.resolve("w1-throughput.png").toString(), BitmapEncoder.BitmapFormat.PNG);
    }
    if (anyCdf) {
      BitmapEncoder.saveBitmap(
          cdf, dir.resolve("w1-latency-cdf.png").toString(), BitmapEncoder.BitmapFormat.PNG);
    }
  }
}
