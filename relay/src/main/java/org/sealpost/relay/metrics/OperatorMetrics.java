package org.sealpost.relay.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmHeapPressureMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.sealpost.mailbox.MailboxStats;
import org.sealpost.mailbox.MailboxStore;

/**
 * What an operator alerts on besides the protocol: process and JVM (Micrometer's binders, and the
 * resident set size), the store's own aggregate counts and size on disk, the free space of the data
 * directory's file system, a histogram of durable commit times, and the build. All aggregate:
 * nothing here is per queue or per client. Store figures and disk space are refreshed on a worker
 * every {@link #REFRESH} (never on a scrape, which runs on an event loop).
 */
public final class OperatorMetrics implements AutoCloseable {
  /** How often store counts and free disk space are refreshed. */
  public static final Duration REFRESH = Duration.ofSeconds(10);

  private static final Logger LOG = Logger.getLogger(OperatorMetrics.class.getName());
  private static final Path PROC_STATUS = Path.of("/proc/self/status");

  private final Vertx vertx;
  private final Path dataDir;
  // issue 14: a cluster node has one store per shard it owns; the figures are their sums
  private final Supplier<Collection<MailboxStore>> stores;
  // the stores whose commits are observed (each from the first refresh that finds it)
  private final Set<MailboxStore> observed = Collections.newSetFromMap(new IdentityHashMap<>());
  private final List<AutoCloseable> binders;
  private final AtomicLong queues = new AtomicLong();
  private final AtomicLong envelopes = new AtomicLong();
  private final AtomicLong storeDisk = new AtomicLong();
  private final AtomicLong diskFree = new AtomicLong();
  private final AtomicLong diskSize = new AtomicLong();
  private final Timer commits;
  private long timer = -1;
  private volatile boolean closed;

  private OperatorMetrics(
      Vertx vertx,
      MeterRegistry registry,
      Path dataDir,
      Supplier<Collection<MailboxStore>> stores) {
    this.vertx = vertx;
    this.dataDir = dataDir;
    this.stores = stores;
    JvmGcMetrics gc = new JvmGcMetrics();
    JvmHeapPressureMetrics pressure = new JvmHeapPressureMetrics();
    gc.bindTo(registry);
    pressure.bindTo(registry);
    this.binders = List.of(gc, pressure);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    Gauge.builder(RelayMetrics.PROCESS_RSS, OperatorMetrics::residentBytes)
        .description("Resident set size of the process")
        .baseUnit("bytes")
        .register(registry);
    Gauge.builder(RelayMetrics.BUILD_INFO, () -> 1)
        .description("The relay's version")
        .tag("version", version())
        .register(registry);
    gauge(registry, RelayMetrics.STORE_QUEUES, queues, "Queues in the store", null);
    gauge(
        registry, RelayMetrics.STORE_ENVELOPES, envelopes, "Envelopes waiting in the store", null);
    gauge(registry, RelayMetrics.STORE_DISK_BYTES, storeDisk, "Store size on disk", "bytes");
    gauge(
        registry,
        RelayMetrics.DATA_DISK_FREE_BYTES,
        diskFree,
        "Free space on the data directory's file system",
        "bytes");
    gauge(
        registry,
        RelayMetrics.DATA_DISK_SIZE_BYTES,
        diskSize,
        "Size of the data directory's file system",
        "bytes");
    // buckets from 100 µs to 10 s: an fsync on a healthy disk is well under 10 ms
    this.commits =
        Timer.builder(RelayMetrics.STORE_COMMIT)
            .description("Durable store commits (WAL write and fsync)")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofNanos(100_000))
            .maximumExpectedValue(Duration.ofSeconds(10))
            .register(registry);
  }

  /**
   * Registers the meters and starts the refresh. The stores — the relay's one, or a cluster node's
   * shard stores — are looked up at each refresh (they open after start and are gone after stop);
   * their commits are observed from the first refresh that finds them, and their counts summed.
   */
  public static OperatorMetrics start(
      Vertx vertx,
      MeterRegistry registry,
      Path dataDir,
      Supplier<Collection<MailboxStore>> stores) {
    OperatorMetrics metrics = new OperatorMetrics(vertx, registry, dataDir, stores);
    metrics.refresh();
    metrics.timer = vertx.setPeriodic(REFRESH.toMillis(), id -> metrics.refresh());
    return metrics;
  }

  private static void gauge(
      MeterRegistry registry, String name, AtomicLong value, String description, String unit) {
    Gauge.Builder<AtomicLong> b =
        Gauge.builder(name, value, AtomicLong::get).description(description);
    if (unit != null) {
      b.baseUnit(unit);
    }
    b.register(registry);
  }

  private void commitTook(long nanos) {
    commits.record(nanos, TimeUnit.NANOSECONDS);
  }

  private void refresh() {
    if (closed) {
      return;
    }
    Collection<MailboxStore> open = stores.get();
    synchronized (observed) {
      for (MailboxStore s : open) {
        if (observed.add(s)) {
          s.observeCommits(this::commitTook);
        }
      }
    }
    vertx
        .executeBlocking(
            () -> {
              // issue 12: statvfs directly (Files.getFileStore fails in a chroot: no mount entry)
              java.io.File fs = dataDir.toFile();
              diskFree.set(fs.getUsableSpace());
              diskSize.set(fs.getTotalSpace());
              if (!open.isEmpty()) {
                long q = 0;
                long e = 0;
                long d = 0;
                for (MailboxStore s : open) {
                  MailboxStats stats =
                      s.stats()
                          .toCompletableFuture()
                          .get(REFRESH.toMillis(), TimeUnit.MILLISECONDS);
                  q += stats.queues();
                  e += stats.envelopes();
                  d += stats.diskBytes();
                }
                queues.set(q);
                envelopes.set(e);
                storeDisk.set(d);
              }
              return null;
            },
            false)
        .onFailure(
            e ->
                LOG.log(
                    Level.FINE,
                    "operator metrics not refreshed: {0}",
                    e.getClass().getSimpleName()));
  }

  /** Resident set size from {@code /proc/self/status} ({@code VmRSS}), or NaN elsewhere. */
  static double residentBytes() {
    try {
      for (String line : Files.readAllLines(PROC_STATUS, StandardCharsets.US_ASCII)) {
        if (line.startsWith("VmRSS:")) {
          String[] parts = line.substring(6).trim().split("\\s+");
          return Long.parseLong(parts[0]) * 1024.0;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or no procfs
    }
    return Double.NaN;
  }

  /** The relay's version from the Maven metadata in its jar; {@code dev} outside a jar. */
  public static String version() {
    try (InputStream in =
        OperatorMetrics.class.getResourceAsStream(
            "/META-INF/maven/org.sealpost/sealpost-relay/pom.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        return p.getProperty("version", "dev");
      }
    } catch (IOException e) {
      // fall through
    }
    return "dev";
  }

  @Override
  public void close() {
    closed = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    synchronized (observed) {
      observed.forEach(s -> s.observeCommits(nanos -> {}));
      observed.clear();
    }
    for (AutoCloseable b : binders) {
      try {
        b.close();
      } catch (Exception e) {
        // binders release listeners; nothing to report
      }
    }
  }
}
