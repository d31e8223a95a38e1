package org.sealpost.benchmarks.load;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What happened to each message of an open-loop phase (issue 13 item 4): when it was scheduled,
 * handed to the peer, accepted (the peer's Ok) and delivered, in {@link System#nanoTime()} of the
 * load generator. It splits a slow message's latency into the wait before sending, the peer's
 * acceptance and what came after, and says whether the slow messages bunch in time (a stall) or are
 * spread out.
 */
public final class Timeline {
  private final AtomicLongArray intended;
  private final AtomicLongArray sent;
  private final AtomicLongArray accepted;
  private final AtomicLongArray delivered;

  /** Tracks message indexes {@code 0..capacity-1}. */
  public Timeline(int capacity) {
    intended = new AtomicLongArray(capacity);
    sent = new AtomicLongArray(capacity);
    accepted = new AtomicLongArray(capacity);
    delivered = new AtomicLongArray(capacity);
  }

  public int capacity() {
    return intended.length();
  }

  void sent(int index, long intendedNanos, long sentNanos) {
    if (index >= 0 && index < capacity()) {
      intended.set(index, intendedNanos);
      sent.set(index, sentNanos);
    }
  }

  void accepted(int index, long nanos) {
    if (index >= 0 && index < capacity()) {
      accepted.set(index, nanos);
    }
  }

  void delivered(int index, long nanos) {
    if (index >= 0 && index < capacity()) {
      delivered.compareAndSet(index, 0, nanos);
    }
  }

  /**
   * The slow messages (latency from the scheduled time at or above the {@code quantile}) split into
   * their parts, as medians over those messages, and how many distinct {@code bucketMillis} windows
   * of scheduled time they fall into.
   */
  public Tail tail(double quantile, long bucketMillis) {
    List<Integer> done = new ArrayList<>();
    for (int i = 0; i < capacity(); i++) {
      if (delivered.get(i) != 0 && intended.get(i) != 0) {
        done.add(i);
      }
    }
    if (done.isEmpty()) {
      return new Tail(quantile, 0, 0, 0, 0, 0, 0, 0, 0);
    }
    long[] latency = new long[done.size()];
    for (int k = 0; k < latency.length; k++) {
      int i = done.get(k);
      latency[k] = delivered.get(i) - intended.get(i);
    }
    long[] sorted = latency.clone();
    Arrays.sort(sorted);
    long threshold = sorted[Math.min(sorted.length - 1, (int) (quantile * sorted.length))];
    List<Long> wait = new ArrayList<>();
    List<Long> accept = new ArrayList<>();
    List<Long> after = new ArrayList<>();
    Set<Long> buckets = new HashSet<>();
    long first = Long.MAX_VALUE;
    for (int i : done) {
      first = Math.min(first, intended.get(i));
    }
    long bucketNanos = bucketMillis * 1_000_000L;
    int slow = 0;
    int acceptedAfterDelivery = 0;
    for (int k = 0; k < latency.length; k++) {
      if (latency[k] < threshold) {
        continue;
      }
      int i = done.get(k);
      slow++;
      wait.add(sent.get(i) - intended.get(i));
      long ok = accepted.get(i);
      if (ok != 0) {
        accept.add(ok - sent.get(i));
        after.add(delivered.get(i) - ok);
        if (ok > delivered.get(i)) {
          acceptedAfterDelivery++;
        }
      }
      buckets.add((intended.get(i) - first) / bucketNanos);
    }
    return new Tail(
        quantile,
        threshold / 1e6,
        slow,
        median(wait) / 1e6,
        median(accept) / 1e6,
        median(after) / 1e6,
        acceptedAfterDelivery,
        buckets.size(),
        bucketMillis);
  }

  /**
   * Writes one line per message: index and the four times in ms from the first scheduled one, after
   * a comment line giving that origin in {@link System#nanoTime()}.
   */
  public void writeCsv(Path file) throws IOException {
    long first = Long.MAX_VALUE;
    for (int i = 0; i < capacity(); i++) {
      if (intended.get(i) != 0) {
        first = Math.min(first, intended.get(i));
      }
    }
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      // the origin in System.nanoTime() (CLOCK_MONOTONIC on Linux), to line up with GC logs
      // (-Xlog decorator timenanos) and kernel traces of the same machine
      w.write("# origin_nanotime=" + first + "\n");
      w.write("index,intended_ms,sent_ms,accepted_ms,delivered_ms\n");
      for (int i = 0; i < capacity(); i++) {
        if (intended.get(i) == 0) {
          continue;
        }
        w.write(
            String.format(
                Locale.ROOT,
                "%d,%.3f,%.3f,%s,%s%n",
                i,
                (intended.get(i) - first) / 1e6,
                (sent.get(i) - first) / 1e6,
                ms(accepted.get(i), first),
                ms(delivered.get(i), first)));
      }
    }
  }

  private static String ms(long nanos, long first) {
    return nanos == 0 ? "" : String.format(Locale.ROOT, "%.3f", (nanos - first) / 1e6);
  }

  private static double median(List<Long> values) {
    if (values.isEmpty()) {
      return 0;
    }
    long[] v = values.stream().mapToLong(Long::longValue).sorted().toArray();
    return v[v.length / 2];
  }

  /**
   * The slow messages of a phase, split.
   *
   * @param quantile which messages count as slow (0.99: the slowest 1 %)
   * @param thresholdMillis the latency at that quantile
   * @param messages how many messages are at or above it
   * @param waitMillis median time from the scheduled send to the hand-over to the peer
   * @param acceptMillis median time from the hand-over to the peer's acceptance (Ok)
   * @param afterAcceptMillis median time from acceptance to delivery (negative: delivered first)
   * @param acceptedAfterDelivery slow messages whose Ok came after their delivery
   * @param windows distinct windows of {@code windowMillis} of scheduled time they fall into
   * @param windowMillis the window
   */
  public record Tail(
      double quantile,
      double thresholdMillis,
      int messages,
      double waitMillis,
      double acceptMillis,
      double afterAcceptMillis,
      int acceptedAfterDelivery,
      int windows,
      long windowMillis) {

    /** One line for a report's notes. */
    public String describe() {
      return String.format(
          Locale.ROOT,
          "the %d messages at or above p%s (%.1f ms): median %.1f ms scheduled→sent, %.1f ms"
              + " sent→accepted, %.1f ms accepted→delivered (%d accepted after delivery); in %d"
              + " distinct %d ms windows of scheduled time",
          messages,
          new DecimalFormat("0.##").format(quantile * 100),
          thresholdMillis,
          waitMillis,
          acceptMillis,
          afterAcceptMillis,
          acceptedAfterDelivery,
          windows,
          windowMillis);
    }
  }
}
