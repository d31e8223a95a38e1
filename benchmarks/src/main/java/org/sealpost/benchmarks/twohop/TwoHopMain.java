package org.sealpost.benchmarks.twohop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.sealpost.benchmarks.load.Json;
import org.sealpost.benchmarks.load.OnlineDelivery;
import org.sealpost.benchmarks.load.PeerDescription;
import org.sealpost.benchmarks.load.PhaseResult;
import org.sealpost.benchmarks.load.ProcFs;
import org.sealpost.benchmarks.load.Progress;
import org.sealpost.benchmarks.load.ResourceSampler;
import org.sealpost.benchmarks.peers.MachineFacts;
import org.sealpost.benchmarks.sealpost.RelayProcess;
import org.sealpost.benchmarks.sealpost.SealpostDriver;
import org.sealpost.benchmarks.sealpost.SealpostDriver.Route;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Issue 11: W1 online delivery directly to a destination relay D, and through a first relay F —
 * two-hop send ({@code Forward} on F) and two-hop receive (each subscriber through a circuit on F)
 * — in the same run, against two relay processes ({@code cli/target/sealpost.jar}) over TLS 1.3 +
 * Noise on loopback. Modes alternate within each round (direct, send, receive; the next round in
 * reverse order), so that a noisy machine hurts each about equally; the report gives medians over
 * rounds and same-round ratios. Each mode runs the harness's W1 ({@link OnlineDelivery}): warm-up,
 * closed loop ("full load", its delivered msg/s), then open loop at half that rate ("half load",
 * its CO-corrected p99). The CPU time of F and of D (utime + stime from {@code /proc/<pid>/stat})
 * is read at the boundaries of every phase and divided by the messages delivered in it.
 *
 * <p>Run with {@code benchmarks/run-twohop}; not part of the test suite.
 */
@Command(
    name = "two-hop",
    mixinStandardHelpOptions = true,
    description = "Direct vs two-hop (send, receive) W1 against two relay processes.")
public final class TwoHopMain implements Callable<Integer> {
  @Option(names = "--relay-jar", description = "the relay (default cli/target/sealpost.jar)")
  Path relayJar = Path.of("cli/target/sealpost.jar");

  @Option(names = "--rounds", description = "rounds of all modes (default 3)")
  int rounds = 3;

  // the first relay's Forward and circuit paths are cold until a two-hop mode first runs: in the
  // first run (21:48 UTC) round 1's send ran at 0.28× round 2's rate, at 4.7× its F CPU per message
  @Option(
      names = "--warmup-round-seconds",
      description = "an unreported round of every mode first, this long each (default 10; 0: none)")
  int warmupRoundSeconds = 10;

  @Option(names = "--modes", split = ",", description = "direct,send,receive (default all)")
  List<String> modes = List.of("direct", "send", "receive");

  @Option(names = "--recipients", description = "W1 recipients R (default 50)")
  int recipients = 50;

  @Option(names = "--senders", description = "sender connections S (default 8)")
  int senders = 8;

  // 8 × 16 = 128 in flight: what the first relay's default pool carries to one destination
  // (forward.sessions-per-destination 2 × 64 per link); beyond it, plus 32 waiting, F answers RATE
  @Option(
      names = "--window",
      description = "messages in flight per sender (default 16: S × 16 = 128 = F's default pool)")
  int window = 16;

  @Option(names = "--content-bytes", description = "content per message (default 1024)")
  int contentBytes = 1024;

  @Option(names = "--warmup-seconds", description = "unreported warm-up per mode (default 5)")
  int warmupSeconds = 5;

  @Option(names = "--closed-seconds", description = "closed loop, full load (default 8)")
  int closedSeconds = 8;

  @Option(names = "--open-seconds", description = "open loop at half load (default 8)")
  int openSeconds = 8;

  @Option(names = "--out", description = "directory for report.json and report.md")
  Path out;

  @Option(names = "--no-progress", description = "no progress bar (also when not on a terminal)")
  boolean noProgress;

  public static void main(String[] args) {
    System.exit(new CommandLine(new TwoHopMain()).execute(args));
  }

  /** What one mode measured in one round. */
  record ModeRun(
      String mode,
      int round,
      PhaseResult full,
      PhaseResult half,
      RelayCpu.Split cpuFull,
      RelayCpu.Split cpuHalf) {}

  @Override
  public Integer call() throws Exception {
    Path dir = Files.createTempDirectory("sealpost-twohop");
    Map<String, String> machine = MachineFacts.collect(dir);
    String started = Instant.now().toString();
    double ticks = MachineFacts.clockTicksPerSecond();
    Progress progress = new Progress(!noProgress && System.console() != null);
    OnlineDelivery.Params w1 =
        new OnlineDelivery.Params(
            recipients,
            senders,
            window,
            contentBytes,
            Duration.ofSeconds(closedSeconds),
            0.5,
            0,
            Duration.ofSeconds(openSeconds),
            Duration.ofSeconds(60),
            5_000_000,
            Duration.ofSeconds(warmupSeconds));
    List<ModeRun> runs = new ArrayList<>();
    // F passes Forwards to a loopback destination, many per connection
    List<String> first =
        List.of("--forward-private-destinations", "true", "--forward-rate", "1000000");
    try (RelayProcess d = RelayProcess.start(relayJar, dir.resolve("destination"), List.of());
        RelayProcess f = RelayProcess.start(relayJar, dir.resolve("first"), first)) {
      line("relays up: destination pid " + d.pid() + ", first relay pid " + f.pid());
      if (warmupRoundSeconds > 0) {
        OnlineDelivery.Params warm =
            new OnlineDelivery.Params(
                recipients,
                senders,
                window,
                contentBytes,
                Duration.ofSeconds(2),
                0.5,
                0,
                Duration.ofSeconds(2),
                Duration.ofSeconds(60),
                5_000_000,
                Duration.ofSeconds(warmupRoundSeconds));
        for (String mode : modes) {
          runMode(mode, 0, warm, progress, f, d, ticks); // round 0: not reported
        }
      }
      for (int round = 1; round <= rounds; round++) {
        List<String> order = new ArrayList<>(modes);
        if (round % 2 == 0) {
          java.util.Collections.reverse(order);
        }
        for (String mode : order) {
          runs.add(runMode(mode, round, w1, progress, f, d, ticks));
        }
      }
    }
    TwoHopReport report = new TwoHopReport(runs, machine, started, MachineFacts.loadAverage());
    String md = report.markdown(command());
    System.out.print(md);
    if (out != null) {
      Files.createDirectories(out);
      Files.writeString(out.resolve("report.md"), md);
      Files.writeString(out.resolve("report.json"), Json.write(report.json()));
    }
    deleteQuietly(dir);
    return 0;
  }

  private ModeRun runMode(
      String mode,
      int round,
      OnlineDelivery.Params w1,
      Progress progress,
      RelayProcess f,
      RelayProcess d,
      double ticks)
      throws Exception {
    Route route =
        switch (mode) {
          case "direct" -> Route.DIRECT;
          case "send" -> new Route(f.address(), null);
          case "receive" -> new Route(null, f.address());
          default -> throw new IllegalArgumentException("unknown mode " + mode);
        };
    PeerDescription description =
        new PeerDescription(
            "sealpost-" + mode,
            "0.1.0-SNAPSHOT",
            "the destination's Ok to Send (after fsync), through F for two-hop send",
            "RocksDB WAL fsync (group commit) before Ok");
    RelayCpu cpu = new RelayCpu(f.pid(), d.pid(), ticks);
    try (SealpostDriver driver = new SealpostDriver(d.address(), route, description, contentBytes);
        ResourceSampler sampler =
            new ResourceSampler(new ProcFs(), List.of(f.pid(), d.pid()), ticks, 1000)) {
      sampler.addPhaseHook(cpu);
      OnlineDelivery.Result r = new OnlineDelivery(w1, progress).run(driver, sampler);
      List<RelayCpu.Split> phases = cpu.phases();
      // phases: [warm-up,] closed loop, open loop
      RelayCpu.Split full = phases.get(phases.size() - 2);
      RelayCpu.Split half = phases.get(phases.size() - 1);
      ModeRun run = new ModeRun(mode, round, r.closedLoop(), r.openLoop(), full, half);
      line(
          TwoHopReport.progressLine(run, driver.sealedInline(), driver.verifyFailures())
              + (driver.failureCauses().isEmpty() ? "" : ", failed: " + driver.failureCauses()));
      return run;
    }
  }

  private String command() {
    return "benchmarks/run-twohop --rounds "
        + rounds
        + " --modes "
        + String.join(",", modes)
        + " --recipients "
        + recipients
        + " --senders "
        + senders
        + " --window "
        + window
        + " --warmup-round-seconds "
        + warmupRoundSeconds
        + " --warmup-seconds "
        + warmupSeconds
        + " --closed-seconds "
        + closedSeconds
        + " --open-seconds "
        + openSeconds;
  }

  /** One line per update, whether or not on a terminal. */
  static void line(String s) {
    System.out.println(String.format(Locale.ROOT, "[%tT] %s", new java.util.Date(), s));
    System.out.flush();
  }

  private static void deleteQuietly(Path dir) {
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp directory left behind
    }
  }

  static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
