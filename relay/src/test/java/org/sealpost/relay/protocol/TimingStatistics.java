package org.sealpost.relay.protocol;

import java.util.Arrays;

/**
 * The statistics of the timing tests (this module's {@code AuthTimingIT} and the cluster's {@code
 * ClusterAuthTimingIT}, which gets it from this module's test jar): two-sample Kolmogorov–Smirnov,
 * quantiles and the interquartile range of nanosecond samples.
 */
public final class TimingStatistics {
  /** Critical value factor c(α) of the two-sample KS test at α = 0.001. */
  public static final double KS_C_ALPHA = 1.95;

  private TimingStatistics() {}

  /** The KS critical value at α = 0.001 for two samples of {@code n} each. */
  public static double ksCritical(int n) {
    return KS_C_ALPHA * Math.sqrt(2.0 / n);
  }

  /** The two-sample Kolmogorov–Smirnov statistic: the largest gap between the two ECDFs. */
  public static double ksStatistic(long[] a, long[] b) {
    long[] x = a.clone();
    long[] y = b.clone();
    Arrays.sort(x);
    Arrays.sort(y);
    int i = 0;
    int j = 0;
    double d = 0;
    while (i < x.length && j < y.length) {
      long v = Math.min(x[i], y[j]);
      while (i < x.length && x[i] == v) {
        i++;
      }
      while (j < y.length && y[j] == v) {
        j++;
      }
      d = Math.max(d, Math.abs((double) i / x.length - (double) j / y.length));
    }
    return d;
  }

  /** The {@code q} quantile (lower) of {@code values}. */
  public static long quantile(long[] values, double q) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  }

  /** The interquartile range of {@code values}. */
  public static long iqr(long[] values) {
    return quantile(values, 0.75) - quantile(values, 0.25);
  }
}
