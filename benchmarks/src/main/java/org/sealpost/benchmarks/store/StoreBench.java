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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.management.ObjectName;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
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

  static void throughput(Path dir, int seconds, int producers, int queueCount, int size)
      throws Exception {
    MailboxConfig config =
        MailboxConfig.builder(dir.resolve("store"), dir.resolve("master.key"))
            .syncPolicy(SyncPolicy.ALWAYS)
            .maxEnvelopeBytes(size)
            .build();
    long warmupMillis = Math.max(2_000, seconds * 250L);
    double storeRate;
    Histogram storeLatency;
    long groups;
    try (RocksMailboxStore store = RocksMailboxStore.opener(config).open()) {
      List<QueueRecord> queues = new ArrayList<>(queueCount);
      List<CompletableFuture<QueueRecord>> pending = new ArrayList<>();
      for (int i = 0; i < queueCount; i++) {
        byte[] k = new byte[32];
        ThreadLocalRandom.current().nextBytes(k);
        pending.add(store.createQueue(new QueueSecrets(k, k)).toCompletableFuture());
        if (pending.size() == 1000) {
          pending.forEach(f -> queues.add(f.join()));
          pending.clear();
        }
      }
      pending.forEach(f -> queues.add(f.join()));
      Recorder recorder = new Recorder(60_000_000L, 3);
      AtomicLong done = new AtomicLong();
      AtomicBoolean stop = new AtomicBoolean();
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
      Thread.sleep(warmupMillis);
      recorder.getIntervalHistogram();
      long d0 = done.get();
      long g0 = groupsOf(store);
      long t0 = System.nanoTime();
      Thread.sleep(seconds * 1000L);
      long d1 = done.get();
      long t1 = System.nanoTime();
      groups = groupsOf(store) - g0;
      storeLatency = recorder.getIntervalHistogram();
      stop.set(true);
      for (Thread t : threads) {
        t.join();
      }
      storeRate = (d1 - d0) / ((t1 - t0) / 1e9);
      MailboxStats stats = store.stats().toCompletableFuture().join();
      System.out.printf(
          "store: %.0f msg/s (append+read+ack), append p50 %d us p99 %d us p99.9 %d us, %.1f msg per"
              + " WAL sync, envelopes left %d%n",
          storeRate,
          storeLatency.getValueAtPercentile(50),
          storeLatency.getValueAtPercentile(99),
          storeLatency.getValueAtPercentile(99.9),
          groups > 0 ? 2.0 * (d1 - d0) / groups : 0.0,
          stats.envelopes());
    }
    RawRocksBaseline.Result best = null;
    int[][] configs = {{1, 1}, {1, 8}, {1, 32}, {1, 64}, {1, 128}, {4, 8}, {4, 16}, {4, 32}};
    for (int[] c : configs) {
      Path raw = dir.resolve("raw-" + c[0] + "-" + c[1]);
      RawRocksBaseline.Result r =
          RawRocksBaseline.run(raw, c[0], c[1], size, 1_000, Math.max(3_000, seconds * 200L));
      deleteTree(raw);
      System.out.printf(
          "raw %d thread(s) x group %3d: %.0f msg/s, batch write p50 %d us p99 %d us%n",
          c[0],
          c[1],
          r.msgPerSec(),
          r.batchLatencyMicros().getValueAtPercentile(50),
          r.batchLatencyMicros().getValueAtPercentile(99));
      if (best == null || r.msgPerSec() > best.msgPerSec()) {
        best = r;
      }
    }
    long rawP99 = best.batchLatencyMicros().getValueAtPercentile(99);
    System.out.printf(
        "RESULT store %.0f msg/s = %.0f%% of best raw (%d thread(s) x group %d, %.0f msg/s); store"
            + " append p99 %d us = %.2fx raw batch p99 %d us%n",
        storeRate,
        100 * storeRate / best.msgPerSec(),
        best.threads(),
        best.group(),
        best.msgPerSec(),
        storeLatency.getValueAtPercentile(99),
        (double) storeLatency.getValueAtPercentile(99) / rawP99,
        rawP99);
  }

  private static long groupsOf(RocksMailboxStore store) {
    return store.groupsCommitted();
  }

  static void idle(Path dir, int count) throws Exception {
    MailboxConfig config =
        MailboxConfig.builder(dir.resolve("store"), dir.resolve("master.key"))
            // durability does not change memory; no sync keeps the fill short
            .syncPolicy(SyncPolicy.NEVER)
            .build();
    try (RocksMailboxStore store = RocksMailboxStore.opener(config).open()) {
      long[] before = memory();
      List<CompletableFuture<QueueRecord>> pending = new ArrayList<>();
      long t0 = System.nanoTime();
      for (int i = 0; i < count; i++) {
        byte[] k = new byte[32];
        ThreadLocalRandom.current().nextBytes(k);
        pending.add(store.createQueue(new QueueSecrets(k, k)).toCompletableFuture());
        if (pending.size() == 2000) {
          pending.forEach(CompletableFuture::join);
          pending.clear();
        }
      }
      pending.forEach(CompletableFuture::join);
      double fillSeconds = (System.nanoTime() - t0) / 1e9;
      // touch a sample of queues the way the relay does (lookup by sender ID is not kept: IDs are
      // random here), so block cache and index blocks are in use
      long[] after = memory();
      long disk = du(dir.resolve("store"));
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

  private static long du(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile)
          .mapToLong(
              p -> {
                try {
                  return Files.size(p);
                } catch (IOException e) {
                  return 0;
                }
              })
          .sum();
    }
  }

  static void deleteTree(Path root) throws IOException {
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
