package org.sealpost.benchmarks.load;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * Send→deliver latency, recorded twice per message in microseconds.
 *
 * <p>The <em>corrected</em> histogram measures from the time the open-loop schedule intended the
 * message to be sent. A sender that stalls (a full window, a slow {@code send}) delays the real
 * send, and measuring from the real send would hide that wait — coordinated omission. Measuring
 * from the intended time charges it to the system, as a user arriving on schedule would see it. The
 * <em>uncorrected</em> histogram measures from the real send, for comparison. In a closed-loop run,
 * intended and real send time are equal and both histograms agree.
 */
public final class LatencyRecorder {
  private final Histogram corrected = new ConcurrentHistogram(3);
  private final Histogram uncorrected = new ConcurrentHistogram(3);

  /** Records one delivery; safe to call from many threads. */
  public void record(long intendedNanos, long sentNanos, long deliveredNanos) {
    corrected.recordValue(Math.max(0, (deliveredNanos - intendedNanos) / 1000));
    uncorrected.recordValue(Math.max(0, (deliveredNanos - sentNanos) / 1000));
  }

  /** Records a delivered message from the times carried in its {@link Payload}. */
  public void record(byte[] content, long deliveredNanos) {
    record(Payload.intendedNanos(content), Payload.sentNanos(content), deliveredNanos);
  }

  public Summary corrected() {
    return Summary.of(corrected);
  }

  public Summary uncorrected() {
    return Summary.of(uncorrected);
  }

  /**
   * Percentiles of one histogram, in microseconds, and points of its CDF.
   *
   * @param cdf {@code [latency µs, fraction of messages at or below]} points
   */
  public record Summary(
      long count,
      long p50,
      long p90,
      long p99,
      long p999,
      long max,
      double mean,
      List<double[]> cdf) {

    static Summary of(Histogram h) {
      Histogram copy = h.copy();
      List<double[]> cdf = new ArrayList<>();
      if (copy.getTotalCount() > 0) {
        for (HistogramIterationValue v : copy.percentiles(5)) {
          cdf.add(new double[] {v.getValueIteratedTo(), v.getPercentileLevelIteratedTo() / 100.0});
        }
      }
      return new Summary(
          copy.getTotalCount(),
          copy.getValueAtPercentile(50),
          copy.getValueAtPercentile(90),
          copy.getValueAtPercentile(99),
          copy.getValueAtPercentile(99.9),
          copy.getMaxValue(),
          copy.getTotalCount() == 0 ? 0 : copy.getMean(),
          cdf);
    }
  }
}
