package org.sealpost.benchmarks.load;

import java.util.Arrays;
import java.util.List;

/** Small statistics shared by the benchmark reports. */
public final class Stats {
  private Stats() {}

  /**
   * The median of the values that are not NaN (a run that did not measure the figure), the mean of
   * the middle two for an even count; NaN when no value is left.
   */
  public static double median(List<Double> values) {
    double[] v = values.stream().filter(d -> !d.isNaN()).mapToDouble(Double::doubleValue).toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
