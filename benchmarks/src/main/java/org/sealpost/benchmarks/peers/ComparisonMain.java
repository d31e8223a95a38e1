package org.sealpost.benchmarks.peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.sealpost.benchmarks.load.ComparisonReport;
import org.sealpost.benchmarks.load.ExtendedWorkloads;
import org.sealpost.benchmarks.load.OfflineFillDrain;
import org.sealpost.benchmarks.load.OnlineDelivery;
import org.sealpost.benchmarks.load.PeerDescription;
import org.sealpost.benchmarks.load.PeerDriver;
import org.sealpost.benchmarks.load.PeerRun;
import org.sealpost.benchmarks.load.ProcFs;
import org.sealpost.benchmarks.load.Progress;
import org.sealpost.benchmarks.load.ResourceSampler;
import org.sealpost.benchmarks.load.StorageProbeResult;
import org.sealpost.benchmarks.sealpost.ReconnectStormWorkload;
import org.sealpost.benchmarks.sealpost.RelayCounters;
import org.sealpost.benchmarks.sealpost.SealpostDriver;
import org.sealpost.benchmarks.sealpost.SealpostWorkloads;
import org.sealpost.proto.address.AddressException;
import org.sealpost.proto.address.RelayAddress;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the peer comparison: for each peer, start it with its script, run W1 and W2 through its
 * driver while sampling its processes, stop it; then the raw RocksDB probe; then write the report.
 * Usually started by {@code benchmarks/run-comparison}.
 */
@Command(
    name = "peer-comparison",
    mixinStandardHelpOptions = true,
    description = "W1/W2 against NATS JetStream, Postfix+Dovecot, Prosody and raw RocksDB.")
public final class ComparisonMain implements Callable<Integer> {
  static final List<String> ALL_PEERS =
      List.of("sealpost", "sealpost-b4096", "nats", "postfix-dovecot", "prosody", "rocksdb");

  /**
   * The relay at its default B with the JDK's TLS engine ({@code tls.engine=jdk}), as every run
   * before 2026-12-06 measured it: not in the default set; name it in {@code --peers} to compare
   * the engines in one run. The default configurations run the relay's default engine ({@code
   * auto}: BoringSSL where it loads, docs/decisions.md), as deployed.
   */
  static final String SEALPOST_JDK = "sealpost-jdk";

  /** B of each Sealpost configuration: the relay's default and the small-block one. */
  /** Admin port the sealpost start script gives the relay. */
  static final int SEALPOST_ADMIN_PORT =
      Integer.parseInt(System.getenv().getOrDefault("SEALPOST_BENCH_ADMIN_PORT", "14464"));

  static final Map<String, Integer> SEALPOST_BLOCKS =
      Map.of("sealpost", 16_359, "sealpost-b4096", 4_096, SEALPOST_JDK, 16_359);

  @Option(names = "--quick", description = "smoke run, under 2 minutes")
  boolean quick;

  @Option(names = "--peers", split = ",", description = "subset of ${COMPLETION-CANDIDATES}")
  List<String> peers = new ArrayList<>(ALL_PEERS);

  @Option(names = "--recipients", description = "W1 recipients R (default 200, quick 50)")
  Integer recipients;

  @Option(names = "--senders", description = "W1/W2 sender connections S")
  int senders = 8;

  @Option(names = "--window", description = "messages in flight per sender")
  int window = 64;

  @Option(names = "--content-bytes", description = "content per message")
  int contentBytes = 1024;

  @Option(names = "--w1-seconds", description = "closed-loop duration (default 20, quick 2)")
  Integer w1Seconds;

  @Option(names = "--warmup-seconds", description = "unreported W1 warm-up (default 20, quick 1)")
  Integer warmupSeconds;

  @Option(
      names = "--open-lead-in-seconds",
      description =
          "unreported run of the open-loop schedule just before the measured one, so that the"
              + " load generator's change of phase is not measured (default 3, quick 0)")
  Integer openLeadInSeconds;

  @Option(names = "--open-seconds", description = "open-loop duration (default 15, quick 2)")
  Integer openSeconds;

  @Option(
      names = "--open-rate",
      description =
          "open loop at this many msg/s for every peer instead of half of each peer's closed-loop"
              + " peak, so that two builds meet the same offered load; the report then does not"
              + " judge the half-load p99 target (default: half of peak)")
  double openRate;

  @Option(names = "--w2-messages", description = "W2 messages N (default 20000)")
  Integer w2Messages;

  @Option(names = "--w2-queues", description = "W2 queues Q (default 2000)")
  Integer w2Queues;

  @Option(
      names = "--w2-warmup",
      description =
          "before the measured W2, an unreported round of one message into each of its Q queues,"
              + " drained by Q sessions, so that the drain is measured on a warm process (default"
              + " off: it also slowed the fill after it; see docs/benchmarks.md); its figures go"
              + " into the report's notes")
  boolean w2Warmup;

  @Option(names = "--w3-connections", description = "W3 idle connections (default 10000)")
  Integer w3Connections;

  @Option(names = "--w3-queues", description = "W3 idle queues (default 1000000)")
  Integer w3Queues;

  @Option(names = "--w4-queues", description = "W4 queues resubscribed (default 10000)")
  Integer w4Queues;

  @Option(names = "--w4-rounds", description = "W4 rounds; the median is reported")
  int w4Rounds = 5;

  @Option(
      names = "--w5-clients",
      description = "W5 reconnect-storm clients (default 10000, quick 200)")
  Integer w5Clients;

  @Option(names = "--scripts", description = "directory of the peer scripts")
  Path scripts = Path.of("benchmarks/peers");

  @Option(names = "--peers-dir", description = "where peers keep their data (a real disk)")
  Path peersDir = Path.of("/var/tmp/sealpost-peers");

  @Option(names = "--out", description = "report directory (default benchmarks/results/<date>)")
  Path out;

  @Option(names = "--no-progress", description = "no progress bars")
  boolean noProgress;

  public static void main(String[] args) {
    System.exit(new CommandLine(new ComparisonMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
    long t0 = System.nanoTime();
    Map<String, String> startFacts = MachineFacts.collect(peersDir);
    int r = recipients != null ? recipients : quick ? 50 : 200;
    int warmup = warmupSeconds != null ? warmupSeconds : quick ? 1 : 20;
    int closedS = w1Seconds != null ? w1Seconds : quick ? 2 : 20;
    int openS = openSeconds != null ? openSeconds : quick ? 2 : 15;
    // a fifth of the issue's 100,000 into 10,000: NATS alone took 4 of the 15 minutes at full size
    // (10,000 consumers, then 10,000 sessions); every peer runs the same shape unless scaled below
    int n = w2Messages != null ? w2Messages : quick ? 1_000 : 20_000;
    int q = w2Queues != null ? w2Queues : quick ? 100 : 2_000;
    if (out == null) {
      out =
          Path.of(
              "benchmarks/results",
              now.format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmm'Z'")));
    }
    Files.createDirectories(out);
    Files.createDirectories(peersDir);
    double ticks = MachineFacts.clockTicksPerSecond();
    ProcFs proc = new ProcFs();
    Progress progress = new Progress(!noProgress);
    OnlineDelivery.Params w1 =
        new OnlineDelivery.Params(
            r,
            senders,
            window,
            contentBytes,
            Duration.ofSeconds(closedS),
            0.5,
            openRate,
            Duration.ofSeconds(openS),
            Duration.ofSeconds(quick ? 20 : 60),
            5_000_000,
            Duration.ofSeconds(warmup));

    List<PeerRun> runs = new ArrayList<>();
    List<String> peers = peerList();
    for (String peer : peers) {
      System.err.printf("== %s (%.0f s since start)%n", peer, (System.nanoTime() - t0) / 1e9);
      if (peer.equals("rocksdb")) {
        runs.add(rocksdb(proc, ticks));
        continue;
      }
      W2Scale scale = W2Scale.of(peer, n, q, quick);
      OfflineFillDrain.Params w2 =
          new OfflineFillDrain.Params(
              scale.messages,
              scale.queues,
              senders,
              window,
              contentBytes,
              16,
              Duration.ofSeconds(quick ? 20 : 180),
              Duration.ofSeconds(quick ? 20 : 240),
              scale.note);
      runs.add(runPeer(peer, w1, w2, extendedScale(), proc, ticks, progress));
    }

    Map<String, Object> params = new LinkedHashMap<>();
    params.put("mode", quick ? "quick" : "full");
    params.put("R", r);
    params.put("S", senders);
    params.put("window", window);
    params.put("contentBytes", contentBytes);
    params.put("w1ClosedSeconds", closedS);
    params.put("w1OpenSeconds", openS);
    params.put("w1WarmupSeconds", warmup);
    params.put("w1OpenLeadInSeconds", openLeadIn());
    if (openRate > 0) {
      params.put("w1OpenRate", openRate);
    } else {
      params.put("w1OpenFractionOfPeak", 0.5);
    }
    params.put("w2DefaultMessages", n);
    params.put("w2DefaultQueues", q);
    params.put("w2DrainConcurrency", 16);
    params.put("w2WarmupRound", w2Warmup);
    params.put(
        "tls",
        "Sealpost: TLS 1.3 + WebSocket + Noise NK (as deployed); the other peers plain TCP on"
            + " 127.0.0.1");
    ExtendedScale ext = extendedScale();
    params.put("w3Connections", ext.connections());
    params.put("w3Queues", ext.queues());
    params.put("w4Queues", ext.resubscribe());
    params.put("w4Rounds", ext.rounds());
    params.put("w5Clients", ext.stormClients());
    params.put("w5ClientsWithPending", ext.stormClients() / STORM_PENDING_EVERY);
    params.put("w5PendingPerClient", STORM_PENDING_PER_CLIENT);
    Map<String, String> machine = new LinkedHashMap<>(startFacts);
    machine.put("load average at end (1/5/15 min)", MachineFacts.loadAverage());
    ComparisonReport report =
        new ComparisonReport(
            now.format(DateTimeFormatter.ISO_INSTANT),
            machine,
            params,
            runs,
            ALL_PEERS.stream()
                .filter(p -> !peers.contains(p))
                .map(p -> p + ": left out by --peers")
                .toList());
    report.writeTo(out);
    System.out.println(report.toMarkdown());
    System.err.printf(
        "report written to %s (%.0f s)%n", out.toAbsolutePath(), (System.nanoTime() - t0) / 1e9);
    return runs.stream().anyMatch(x -> x.error() != null) ? 1 : 0;
  }

  /**
   * The peers to run, each once, in the order first named: a repeated {@code --peers} adds to the
   * list (picocli), and a configuration named twice used to run twice and then break the plots,
   * which need one series per name. An unknown name fails before anything starts.
   */
  List<String> peerList() {
    List<String> known = new ArrayList<>(ALL_PEERS);
    known.add(SEALPOST_JDK);
    for (String p : peers) {
      if (!known.contains(p)) {
        throw new CommandLine.ParameterException(
            new CommandLine(this), "unknown peer " + p + " (known: " + known + ")");
      }
    }
    return List.copyOf(new LinkedHashSet<>(peers));
  }

  /** W5: one client in this many has messages pending, this many each. */
  static final int STORM_PENDING_EVERY = 10;

  static final int STORM_PENDING_PER_CLIENT = 2;

  /** W3/W4/W5 sizes: connections, queues, resubscribed queues, rounds, storm clients. */
  record ExtendedScale(
      int connections, int queues, int resubscribe, int rounds, int stormClients) {}

  private ExtendedScale extendedScale() {
    return new ExtendedScale(
        w3Connections != null ? w3Connections : quick ? 200 : 10_000,
        w3Queues != null ? w3Queues : quick ? 10_000 : 1_000_000,
        w4Queues != null ? w4Queues : quick ? 1_000 : 10_000,
        quick ? 2 : w4Rounds,
        w5Clients != null ? w5Clients : quick ? 200 : 10_000);
  }

  private PeerRun runPeer(
      String peer,
      OnlineDelivery.Params w1,
      OfflineFillDrain.Params w2,
      ExtendedScale scale,
      ProcFs proc,
      double ticks,
      Progress progress) {
    int accounts = Math.max(w1.recipients(), w2.queues());
    List<String> notes = new ArrayList<>();
    if (!w2.scaleNote().isEmpty()) {
      notes.add(w2.scaleNote());
    }
    PeerDescription description = new PeerDescription(peer, "?", accepted(peer), "?");
    OnlineDelivery.Result r1 = null;
    OfflineFillDrain.Result r2 = null;
    PeerRun.Extended extended = null;
    PeerRun.Blocks w1Blocks = null;
    String error = null;
    PeerProcess process = null;
    Integer block = SEALPOST_BLOCKS.get(peer);
    List<String> args =
        new ArrayList<>(List.of(Integer.toString(accounts), Integer.toString(w1.senders())));
    if (block != null) {
      args.add(block.toString());
    }
    if (peer.equals(SEALPOST_JDK)) {
      args.add("--tls-engine=jdk");
    }
    try {
      long t = System.nanoTime();
      process =
          PeerProcess.start(
              scripts, peersDir, block != null ? "sealpost" : peer, args.toArray(String[]::new));
      description =
          new PeerDescription(peer, process.version(), accepted(peer), process.durability());
      try (PeerDriver driver = driver(peer, description, process);
          ResourceSampler sampler = new ResourceSampler(proc, process.pids(), ticks, 1000)) {
        step(peer + " started", t);
        t = System.nanoTime();
        // W1 sees only its R queues, W2 all of its Q: NATS's cost per message grows with the
        // number of consumers on the stream, so W1 must not pay for W2's.
        driver.prepareQueues(w1.recipients());
        step(peer + " queues prepared for " + w1.recipients() + " recipients", t);
        t = System.nanoTime();
        RelayCounters before = block != null ? RelayCounters.read(SEALPOST_ADMIN_PORT) : null;
        r1 =
            new OnlineDelivery(
                    w1,
                    progress,
                    phaseMarks(peer, block != null, notes),
                    Duration.ofSeconds(openLeadIn()))
                .run(driver, sampler);
        step(peer + " W1 done", t);
        if (r1.openTimeline() != null) {
          // issue 13 item 4: what the open loop's slowest messages were waiting for
          r1.openTimeline().writeCsv(out.resolve(peer + "-w1-open-timeline.csv"));
          notes.add("W1 open loop: " + r1.openTimeline().tail(0.99, 100).describe());
        }
        if (before != null) {
          RelayCounters c = RelayCounters.read(SEALPOST_ADMIN_PORT).since(before);
          w1Blocks =
              new PeerRun.Blocks(
                  c.blocksIn() / c.messagesPushed(), c.blocksOut() / c.messagesPushed());
          notes.add(
              String.format(
                  Locale.ROOT,
                  "W1 (warm-up, closed and open loop together): %.2f blocks in and %.2f blocks"
                      + " out per message pushed (relay's /metrics: %,.0f in, %,.0f out, %,.0f"
                      + " pushed)",
                  c.blocksIn() / c.messagesPushed(),
                  c.blocksOut() / c.messagesPushed(),
                  c.blocksIn(),
                  c.blocksOut(),
                  c.messagesPushed()));
        }
        t = System.nanoTime();
        driver.prepareQueues(w2.queues());
        step(peer + " queues prepared for " + w2.queues() + " recipients", t);
        if (w2Warmup) {
          t = System.nanoTime();
          OfflineFillDrain.Result warm =
              new OfflineFillDrain(w2.warmUp(), progress).run(driver, sampler);
          step(peer + " W2 warm-up round done", t);
          notes.add(warmUpNote(warm));
        }
        t = System.nanoTime();
        r2 = new OfflineFillDrain(w2, progress).run(driver, sampler);
        step(peer + " W2 done", t);
        if (driver instanceof SealpostDriver sealpost) {
          SealpostWorkloads.RelayControl control = relayControl(process, args);
          t = System.nanoTime();
          ExtendedWorkloads.ReconnectStorm w5 =
              new ReconnectStormWorkload(sealpost, control, proc, ticks, progress)
                  .run(
                      scale.stormClients(),
                      scale.stormClients() / STORM_PENDING_EVERY,
                      STORM_PENDING_PER_CLIENT,
                      // 20 sessions/s at worst, so that --quick with many clients still ends
                      Duration.ofSeconds(Math.max(quick ? 60 : 300, scale.stormClients() / 20)));
          step(peer + " W5 done", t);
          if (peer.equals("sealpost")) {
            extended = extended(sealpost, control, scale, progress, w5, w1Blocks, notes);
          } else {
            extended = new PeerRun.Extended(null, null, null, w5, w1Blocks);
          }
          notes.add(
              String.format(
                  "%,d deliveries opened completely and checked against the sealed content,"
                      + " %d mismatched or unknown; %,d envelopes sealed inline during timed"
                      + " phases (pool empty)",
                  sealpost.verified(), sealpost.verifyFailures(), sealpost.sealedInline()));
          if (sealpost.verifyFailures() > 0 && error == null) {
            error = sealpost.verifyFailures() + " deliveries did not match what was sent";
          }
        }
      }
    } catch (Exception e) {
      e.printStackTrace();
      error = e.getClass().getSimpleName() + ": " + e.getMessage();
    } finally {
      if (process != null) {
        long t = System.nanoTime();
        try {
          process.close();
        } catch (IOException | RuntimeException e) {
          // the figures stand; a peer left running is stopped again by run-comparison's trap
          notes.add("stop script failed: " + e.getMessage());
        }
        step(peer + " stopped", t);
      }
    }
    return new PeerRun(description, r1, r2, null, extended, notes, error);
  }

  private static SealpostWorkloads.RelayControl relayControl(
      PeerProcess process, List<String> startArgs) {
    List<String> restart = new ArrayList<>(startArgs);
    restart.add("--keep-data");
    return new SealpostWorkloads.RelayControl() {
      @Override
      public int pid() throws IOException {
        return process.pids().get(0);
      }

      @Override
      public Path dataDir() {
        return process.workDir().resolve("data");
      }

      @Override
      public String jvmFlags() throws IOException {
        return Files.readString(process.workDir().resolve("jvm-flags")).trim();
      }

      @Override
      public void stop() throws Exception {
        process.script("stop", "--keep");
      }

      @Override
      public void start() throws Exception {
        process.script("start", restart.toArray(String[]::new));
      }
    };
  }

  private PeerRun.Extended extended(
      SealpostDriver driver,
      SealpostWorkloads.RelayControl control,
      ExtendedScale scale,
      Progress progress,
      ExtendedWorkloads.ReconnectStorm w5,
      PeerRun.Blocks w1Blocks,
      List<String> notes) {
    SealpostWorkloads w = new SealpostWorkloads(driver, control, progress);
    // each part on its own: one that fails is reported as failed, the others and W1/W2 stand
    ExtendedWorkloads.Resubscribe w4 =
        part("W4", notes, () -> w.resubscribe(scale.resubscribe(), scale.rounds()));
    ExtendedWorkloads.IdleConnections w3a =
        part("W3 connections", notes, () -> w.idleConnections(scale.connections()));
    ExtendedWorkloads.IdleQueues w3b = part("W3 queues", notes, () -> w.idleQueues(scale.queues()));
    return new PeerRun.Extended(w3a, w3b, w4, w5, w1Blocks);
  }

  /** Runs one extended workload: its result, or null with a note saying how it failed. */
  private static <T> T part(String name, List<String> notes, Callable<T> workload) {
    long t = System.nanoTime();
    try {
      T result = workload.call();
      step("sealpost " + name + " done", t);
      return result;
    } catch (Exception e) {
      e.printStackTrace();
      step("sealpost " + name + " FAILED", t);
      notes.add(name + " FAILED: " + e.getClass().getSimpleName() + ": " + e.getMessage());
      return null;
    }
  }

  private static void step(String what, long sinceNanos) {
    System.err.printf("   %s in %.1f s%n", what, (System.nanoTime() - sinceNanos) / 1e9);
  }

  private PeerRun rocksdb(ProcFs proc, double ticks) {
    org.rocksdb.RocksDB.loadLibrary();
    PeerDescription d =
        new PeerDescription(
            "rocksdb",
            org.rocksdb.RocksDB.rocksdbVersion().toString(),
            "in-process write batch returned after fsync",
            "WAL, sync=true on every write batch (puts of group k + deletes of group k-1)");
    Path dir = peersDir.resolve("rocksdb");
    try {
      List<StorageProbeResult> results =
          new RocksDbProbe(proc, ticks)
              .run(
                  dir,
                  new int[] {1024, 4096, 16 * 1024},
                  quick ? new int[] {64} : new int[] {8, 64},
                  Duration.ofSeconds(quick ? 1 : 5));
      Files.deleteIfExists(dir);
      return new PeerRun(
          d,
          null,
          null,
          results,
          null,
          List.of("probe runs inside the load generator's JVM; CPU is that JVM's"),
          null);
    } catch (Exception e) {
      return new PeerRun(d, null, null, List.of(), null, List.of(), e.toString());
    }
  }

  private static String accepted(String peer) {
    return switch (peer) {
      case "sealpost", "sealpost-b4096", SEALPOST_JDK ->
          "Ok to Send: envelope in the store after its WAL fsync";
      case "nats" -> "JetStream PubAck: stored in the stream";
      case "postfix-dovecot" -> "SMTP 250 after DATA: queue file fsynced by Postfix";
      case "prosody" -> "XEP-0198 <a/> from the server: routed, or written to offline storage";
      default -> "?";
    };
  }

  private PeerDriver driver(String peer, PeerDescription d, PeerProcess process)
      throws IOException, AddressException {
    return switch (peer) {
      case "sealpost", "sealpost-b4096", SEALPOST_JDK ->
          new SealpostDriver(
              RelayAddress.parse(Files.readString(process.workDir().resolve("address")).trim()),
              d,
              contentBytes);
      case "nats" -> new NatsJetStreamDriver("nats://127.0.0.1:14222", d);
      case "postfix-dovecot" -> new SmtpImapDriver(14025, 14143, d);
      case "prosody" -> new XmppDriver(15222, d);
      default ->
          throw new CommandLine.ParameterException(
              new CommandLine(new ComparisonMain()), "unknown peer " + peer);
    };
  }

  /**
   * What the W2 warm-up round measured: a fresh peer process compiles its session and drain paths
   * during the first drain (for Sealpost, about 30 % of the relay's and the load generator's CPU in
   * it went to the JIT compilers).
   */
  static String warmUpNote(OfflineFillDrain.Result warm) {
    return String.format(
        Locale.ROOT,
        "W2 warm-up round (before the measured W2, not in its table): %,d messages into %,d"
            + " queues, drain %,.0f msg/s, %.1f sessions/s, session p50 %.1f ms, peer CPU %,.0f"
            + " µs per drained message, %s",
        warm.params().messages(),
        warm.params().queues(),
        warm.drain().messagesPerSecond(),
        warm.sessionsPerSecond(),
        warm.sessionMillisP50(),
        warm.drain().peerCpuMicrosPerMessage(),
        warm.fill().complete() && warm.drain().complete() ? "complete" : "INCOMPLETE");
  }

  /** W2 size per peer: slow peers get fewer messages, and the report says so. */
  record W2Scale(int messages, int queues, String note) {
    static W2Scale of(String peer, int n, int q, boolean quick) {
      int div =
          quick
              ? 1
              : switch (peer) {
                case "postfix-dovecot" -> 4;
                case "prosody" -> 2;
                default -> 1;
              };
      if (div == 1) {
        return new W2Scale(n, q, "");
      }
      return new W2Scale(
          n / div,
          q / div,
          String.format(
              "W2 scaled down %d× to %,d messages into %,d queues to fit the time budget"
                  + " (default %,d into %,d)",
              div, n / div, q / div, n, q));
    }
  }

  /**
   * Issue 13: saves the relay's whole {@code /metrics} text at the start and end of each measured
   * W1 phase ({@code <peer>-metrics-<phase>-<start|end>.txt} in the report directory, with the
   * wall-clock time on the first line), so that blocks, commands and the store's commit-time
   * histogram can be taken over the measured phase alone and lined up with profiles.
   */
  private OnlineDelivery.PhaseMarks phaseMarks(String peer, boolean sealpost, List<String> notes) {
    if (!sealpost) {
      return OnlineDelivery.PhaseMarks.NONE;
    }
    Map<String, RelayCounters> atStart = new LinkedHashMap<>();
    return (phase, start) -> {
      Path file =
          out.resolve(peer + "-metrics-" + phase + "-" + (start ? "start" : "end") + ".txt");
      try {
        String text = RelayCounters.scrape(SEALPOST_ADMIN_PORT);
        Files.writeString(file, "# " + Instant.now() + "\n" + text);
        RelayCounters now = RelayCounters.parse(text);
        if (start) {
          atStart.put(phase, now);
        } else if (atStart.containsKey(phase)) {
          notes.add("W1 " + phase + ": " + now.since(atStart.get(phase)).breakdown());
        }
      } catch (IOException e) {
        System.err.println("could not read the relay's metrics: " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
  }

  int openLeadIn() {
    // the closed loop never runs the open loop's code paths: both processes recompile when it
    // starts (docs/benchmarks.md, "The first second of the open loop")
    return openLeadInSeconds != null ? openLeadInSeconds : quick ? 0 : 3;
  }
}
