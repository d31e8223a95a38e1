package org.sealpost.lab.score;

import java.util.List;

/**
 * A mean with a 95 % confidence interval over repeated seeds (Student t), or, for a single seed,
 * over the messages of that run (the given standard error; messages of one run are not fully
 * independent, so this one is optimistic and the report says so).
 */
public record Interval(double mean, double low, double high, int seeds) {
  private static final double[] T975 = {
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
    2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086
  };

  public static Interval of(List<Double> values, double singleRunStdErr) {
    int n = values.size();
    double mean = values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    if (n < 2) {
      double half = 1.96 * singleRunStdErr;
      return new Interval(mean, mean - half, mean + half, n);
    }
    double var = 0;
    for (double v : values) {
      var += (v - mean) * (v - mean);
    }
    var /= n - 1;
    double t = n - 1 <= T975.length ? T975[n - 2] : 1.96;
    double half = t * Math.sqrt(var / n);
    return new Interval(mean, mean - half, mean + half, n);
  }

  /** This interval with its bounds clamped to [lo, hi] (for proportions). */
  public Interval clamp(double lo, double hi) {
    return new Interval(mean, Math.max(lo, low), Math.min(hi, high), seeds);
  }

  public boolean contains(double x) {
    return x >= low && x <= high;
  }
}
