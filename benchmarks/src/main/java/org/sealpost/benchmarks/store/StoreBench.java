package org.sealpost.benchmarks.store;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.management.ObjectName;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.sealpost.benchmarks.load.DiskUsage;
import org.sealpost.benchmarks.load.Stats;
import org.sealpost.mailbox.Appended;
import org.sealpost.mailbox.MailboxConfig;
import org.sealpost.mailbox.MailboxStats;
import org.sealpost.mailbox.QueueRecord;
import org.sealpost.mailbox.QueueSecrets;
import org.sealpost.mailbox.StoredEnvelope;
import org.sealpost.mailbox.SyncPolicy;
import org.sealpost.mailbox.rocksdb.RocksMailboxStore;

/**
 * Mailbox store benchmark (see docs/benchmarks.md, "Mailbox store").
 *
 * <pre>
 * throughput [dir] [seconds] [producers] [queues] [envelopeBytes]
 *     store: append + read + ack with sync=always, then the raw RocksDB baseline in the same run
 * idle [dir] [queues]
 *     memory (RSS, NMT, heap) and disk per idle queue; run with -XX:NativeMemoryTracking=summary
 * </pre>
 */
public final class StoreBench {
  private StoreBench() {}

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "throughput";
    Path dir = Path.of(args.length > 1 ? args[1] : "/tmp/sealpost-store-bench");
    deleteTree(dir);
    Files.createDirectories(dir);
    System.out.println(
        "# "
            + Instant.now()
            + " cores="
            + Runtime.getRuntime().availableProcessors()
            + " java="
            + System.getProperty("java.version")
            + " jvm="
            + ManagementFactory.getRuntimeMXBean().getInputArguments());
    if (mode.equals("throughput")) {
      int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
      int producers = args.length > 3 ? Integer.parseInt(args[3]) : 64;
      int queues = args.length > 4 ? Integer.parseInt(args[4]) : 10_000;
      int size = args.length > 5 ? Integer.parseInt(args[5]) : 16_384;
      throughput(dir, seconds, producers, queues, size);
    } else if (mode.equals("idle")) {
      idle(dir, args.length > 2 ? Integer.parseInt(args[2]) : 1_000_000);
    } else {
      throw new IllegalArgumentException("mode: throughput | idle");
    }
    deleteTree(dir);
  }

  /**
   * The machine is shared and noisy, so the raw baseline and the store run in alternating slices
   * and every ratio compares neighbouring slices: first a sweep of raw configurations picks the
   * best one, then {@code rounds} × (store slice, raw slice).
   */
  static void throughput(Path dir, int seconds, int producers, int queueCount, int size)
      throws Exception {
    int rounds = 3;
    RawRocksBaseline.Result best = null;
    int[][] configs = {{1, 1}, {1, 8}, {1, 32}, {1, 64}, {1, 128}, {4, 8}, {4, 16}, {4, 32}};
    for (int[] c : configs) {
      RawRocksBaseline.Result r = raw(dir, c[0], c[1], size, 3_000);
      if (best == null || r.msgPerSec() > best.msgPerSec()) {
        best = r;
      }
    }
    MailboxConfig config =
        MailboxConfig.builder(dir.resolve("store"), dir.resolve("master.key"))
            .syncPolicy(SyncPolicy.ALWAYS)
            .maxEnvelopeBytes(size)
            .build();
    List<double[]> pairs = new ArrayList<>(); // store msg/s, store p99, raw msg/s, raw p99
    try (RocksMailboxStore store = RocksMailboxStore.opener(config).open()) {
      List<QueueRecord> queues = createQueues(store, queueCount);
      Recorder recorder = new Recorder(60_000_000L, 3);
      AtomicLong done = new AtomicLong();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicBoolean paused = new AtomicBoolean();
      byte[] envelope = new byte[size];
      ThreadLocalRandom.current().nextBytes(envelope);
      List<Thread> threads = new ArrayList<>();
      for (int p = 0; p < producers; p++) {
        int first = p;
        Thread t =
            new Thread(
                () -> {
                  int q = first;
                  while (!stop.get()) {
                    if (paused.get()) {
                      LockSupport.parkNanos(1_000_000L);
                      continue;
                    }
                    QueueRecord queue = queues.get(q);
                    long t0 = System.nanoTime();
                    Appended a =
                        store.append(queue.queueId(), envelope).toCompletableFuture().join();
                    recorder.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
                    List<StoredEnvelope> read =
                        store
                            .readPending(queue.queueId(), a.position() - 1, 1)
                            .toCompletableFuture()
                            .join();
                    if (read.isEmpty() || !read.get(0).messageId().equals(a.messageId())) {
                      throw new IllegalStateException("store lost an envelope");
                    }
                    store.ack(queue.queueId(), a.messageId()).toCompletableFuture().join();
                    done.incrementAndGet();
                    q += producers;
                    if (q >= queues.size()) {
                      q = first;
                    }
                  }
                },
                "producer-" + p);
        threads.add(t);
        t.start();
      }
      for (int round = 0; round < rounds; round++) {
        paused.set(false);
        Thread.sleep(2_000); // warm-up (JIT, caches) and ramp after the pause
        recorder.getIntervalHistogram();
        long d0 = done.get();
        long g0 = store.groupsCommitted();
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long d1 = done.get();
        long t1 = System.nanoTime();
        long groups = store.groupsCommitted() - g0;
        Histogram h = recorder.getIntervalHistogram();
        paused.set(true);
        double rate = (d1 - d0) / ((t1 - t0) / 1e9);
        System.out.printf(
            "store round %d: %.0f msg/s (append+read+ack), append p50 %d us p99 %d us p99.9 %d us,"
                + " %.1f ops per WAL sync%n",
            round,
            rate,
            h.getValueAtPercentile(50),
            h.getValueAtPercentile(99),
            h.getValueAtPercentile(99.9),
            groups > 0 ? 2.0 * (d1 - d0) / groups : 0.0);
        Thread.sleep(500); // let in-flight operations finish
        RawRocksBaseline.Result r = raw(dir, best.threads(), best.group(), size, seconds * 1000L);
        pairs.add(
            new double[] {
              rate,
              h.getValueAtPercentile(99),
              r.msgPerSec(),
              r.batchLatencyMicros().getValueAtPercentile(99)
            });
      }
      stop.set(true);
      for (Thread t : threads) {
        t.join();
      }
      MailboxStats stats = store.stats().toCompletableFuture().join();
      System.out.println("store: envelopes left " + stats.envelopes());
    }
    List<Double> rateRatios = new ArrayList<>();
    List<Double> p99Ratios = new ArrayList<>();
    for (double[] p : pairs) {
      rateRatios.add(p[0] / p[2]);
      p99Ratios.add(p[1] / p[3]);
    }
    System.out.printf(
        "RESULT best raw = %d thread(s) x group %d; median over %d rounds: store %.0f msg/s, raw %.0f"
            + " msg/s, store/raw %.0f%%; store append p99 %.0f us, raw batch p99 %.0f us, ratio %.2fx"
            + " (per round: %s / %s)%n",
        best.threads(),
        best.group(),
        rounds,
        median(pairs, 0),
        median(pairs, 2),
        100 * Stats.median(rateRatios),
        median(pairs, 1),
        median(pairs, 3),
        Stats.median(p99Ratios),
        rateRatios,
        p99Ratios);
  }

  private static RawRocksBaseline.Result raw(
      Path dir, int threads, int group, int size, long measureMillis) throws Exception {
    Path raw = dir.resolve("raw-" + threads + "-" + group);
    RawRocksBaseline.Result r =
        RawRocksBaseline.run(raw, threads, group, size, 1_000, measureMillis);
    deleteTree(raw);
    System.out.printf(
        "raw %d thread(s) x group %3d: %.0f msg/s, batch write p50 %d us p99 %d us%n",
        threads,
        group,
        r.msgPerSec(),
        r.batchLatencyMicros().getValueAtPercentile(50),
        r.batchLatencyMicros().getValueAtPercentile(99));
    return r;
  }

  private static double median(List<double[]> rows, int column) {
    List<Double> v = new ArrayList<>();
    for (double[] r : rows) {
      v.add(r[column]);
    }
    return Stats.median(v);
  }

  static void idle(Path dir, int count) throws Exception {
    MailboxConfig config =
        MailboxConfig.builder(dir.resolve("store"), dir.resolve("master.key"))
            // durability does not change memory; no sync keeps the fill short
            .syncPolicy(SyncPolicy.NEVER)
            .build();
    try (RocksMailboxStore store = RocksMailboxStore.opener(config).open()) {
      long[] before = memory();
      long t0 = System.nanoTime();
      createQueues(store, count);
      double fillSeconds = (System.nanoTime() - t0) / 1e9;
      // touch a sample of queues the way the relay does (lookup by sender ID is not kept: IDs are
      // random here), so block cache and index blocks are in use
      long[] after = memory();
      long disk = DiskUsage.bytes(dir.resolve("store"));
      MailboxStats stats = store.stats().toCompletableFuture().join();
      System.out.printf(
          "idle: %d queues in %.1f s; per queue: RSS %+.1f B, NMT committed %+.1f B, heap used %+.1f"
              + " B; disk %.1f B (store's estimate %.1f B)%n",
          stats.queues(),
          fillSeconds,
          (after[0] - before[0]) / (double) count,
          (after[1] - before[1]) / (double) count,
          (after[2] - before[2]) / (double) count,
          disk / (double) count,
          stats.diskBytes() / (double) count);
      System.out.printf(
          "idle: absolute RSS %d MiB before, %d MiB after; NMT committed %d MiB -> %d MiB; heap %d"
              + " MiB -> %d MiB%n",
          before[0] >> 20,
          after[0] >> 20,
          before[1] >> 20,
          after[1] >> 20,
          before[2] >> 20,
          after[2] >> 20);
    }
  }

  /** RSS, NMT committed total, heap used (after GC), in bytes. */
  private static long[] memory() throws Exception {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    long rss = 0;
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        rss = Long.parseLong(line.replaceAll("\\D", "")) * 1024;
      }
    }
    long nmt = -1;
    try {
      String out =
          (String)
              ManagementFactory.getPlatformMBeanServer()
                  .invoke(
                      new ObjectName("com.sun.management:type=DiagnosticCommand"),
                      "vmNativeMemory",
                      new Object[] {new String[] {"summary"}},
                      new String[] {String[].class.getName()});
      Matcher m = Pattern.compile("Total: reserved=(\\d+)KB, committed=(\\d+)KB").matcher(out);
      if (m.find()) {
        nmt = Long.parseLong(m.group(2)) * 1024;
      }
    } catch (Exception e) {
      nmt = -1; // NMT off
    }
    return new long[] {rss, nmt, heap};
  }

  /** Creates {@code count} queues with random secrets, 1,000 in flight at a time. */
  public static List<QueueRecord> createQueues(RocksMailboxStore store, int count) {
    List<QueueRecord> queues = new ArrayList<>(count);
    List<CompletableFuture<QueueRecord>> pending = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] k = new byte[32];
      ThreadLocalRandom.current().nextBytes(k);
      pending.add(store.createQueue(new QueueSecrets(k, k)).toCompletableFuture());
      if (pending.size() == 1000 || i == count - 1) {
        pending.forEach(f -> queues.add(f.join()));
        pending.clear();
      }
    }
    return queues;
  }

  public static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
