package org.sealpost.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TargetsTest {

  /** A W1 result: {@code rate} delivered msg/s, 1,000 deliveries, {@code cpuSeconds} peer CPU. */
  private static OnlineDelivery.Result w1(double rate, double cpuSeconds, long p99Micros) {
    return w1(rate, cpuSeconds, p99Micros, 0);
  }

  private static OnlineDelivery.Result w1(
      double rate, double cpuSeconds, long p99Micros, double fixedOpenRate) {
    OnlineDelivery.Params params =
        new OnlineDelivery.Params(
            1,
            1,
            1,
            1024,
            Duration.ofSeconds(1),
            0.5,
            fixedOpenRate,
            Duration.ofSeconds(1),
            Duration.ofSeconds(1),
            1000,
            Duration.ZERO);
    LatencyRecorder lat = new LatencyRecorder();
    for (int i = 1; i <= 100; i++) {
      lat.record(0, 0, i > 90 ? p99Micros * 1000 : 1_000_000L);
    }
    PhaseResult closed =
        new PhaseResult(
            "closed-loop",
            0,
            1000,
            1000,
            0,
            1000,
            0,
            1,
            rate,
            lat.corrected(),
            lat.uncorrected(),
            ComparisonReportTest.usage(cpuSeconds, 0),
            true);
    return new OnlineDelivery.Result(params, closed, closed, null);
  }

  private static PeerRun run(String name, OnlineDelivery.Result w1) {
    return new PeerRun(
        new PeerDescription(name, "1", "a", "d"), w1, null, null, null, List.of(), null);
  }

  private static Optional<Boolean> met(List<Targets.Check> checks, String start) {
    return checks.stream()
        .filter(c -> c.target().startsWith(start))
        .findFirst()
        .orElseThrow()
        .met();
  }

  @Test
  void ratiosComeFromTheSameRunAndMissingPeersAreNotCountedAsMet() {
    List<PeerRun> runs =
        List.of(
            run("sealpost", w1(9_000, 0.11, 20_000)),
            run("sealpost-b4096", w1(7_000, 0.1, 60_000)),
            run("nats", w1(4_000, 0.2, 1_000)));

    List<Targets.Check> checks = Targets.check(runs);

    // 9,000 / 4,000 = 2.25 ≥ 1.0; 7,000 / 4,000 = 1.75 < 2
    assertThat(met(checks, "W1 delivered msg/s, B = 16359, ≥ 1.0× NATS")).contains(true);
    assertThat(met(checks, "W1 delivered msg/s, B = 4096, ≥ 2× NATS")).contains(false);
    // no W2 in these runs
    assertThat(met(checks, "W2 drain msg/s ≥ 1.5× NATS JetStream, B = 16359")).isEmpty();
    // 0.11 s / 1,000 = 110 µs ≤ 120; 0.1 s / 1,000 = 100 µs > 60
    assertThat(met(checks, "relay CPU per delivered message ≤ 120")).contains(true);
    assertThat(met(checks, "relay CPU per delivered message ≤ 60")).contains(false);
    // the slowest tenth of the samples, so p99: 20 ms and 60 ms
    assertThat(met(checks, "W1 open loop at 50 % of peak, p99 send→deliver ≤ 50 ms, B = 16359"))
        .contains(true);
    assertThat(met(checks, "W1 open loop at 50 % of peak, p99 send→deliver ≤ 50 ms, B = 4096"))
        .contains(false);
    assertThat(met(checks, "W3 ≤ 32 KiB")).isEmpty();
    assertThat(met(checks, "W1 blocks per message pushed ≤ 1.2 in and ≤ 1.2 out, B = 16359"))
        .isEmpty();
  }

  @Test
  void aTailMeasuredAtAFixedRateIsShownButNotJudged() {
    List<Targets.Check> checks =
        Targets.check(List.of(run("sealpost", w1(9_000, 0.11, 20_000, 4_500))));

    Targets.Check tail =
        checks.stream()
            .filter(c -> c.target().startsWith("W1 open loop at 50 % of peak"))
            .findFirst()
            .orElseThrow();
    assertThat(tail.met()).isEmpty();
    assertThat(tail.measured()).contains("20.0 ms").contains("fixed 4,500 msg/s");
    // the closed-loop targets do not depend on the open loop's rate
    assertThat(met(checks, "relay CPU per delivered message ≤ 120")).contains(true);
  }

  @Test
  void blocksPerMessageMustBeWithinTheBoundInBothDirections() {
    PeerRun.Extended within =
        new PeerRun.Extended(null, null, null, null, new PeerRun.Blocks(1.13, 1.2));
    PeerRun.Extended over =
        new PeerRun.Extended(null, null, null, null, new PeerRun.Blocks(1.1, 1.29));
    List<PeerRun> runs =
        List.of(
            new PeerRun(
                new PeerDescription("sealpost", "1", "a", "d"),
                null,
                null,
                null,
                within,
                List.of(),
                null),
            new PeerRun(
                new PeerDescription("sealpost-b4096", "1", "a", "d"),
                null,
                null,
                null,
                over,
                List.of(),
                null));

    List<Targets.Check> checks = Targets.check(runs);

    assertThat(met(checks, "W1 blocks per message pushed ≤ 1.2 in and ≤ 1.2 out, B = 16359"))
        .contains(true);
    assertThat(met(checks, "W1 blocks per message pushed ≤ 1.2 in and ≤ 1.2 out, B = 4096"))
        .contains(false);
  }

  @Test
  void aFailedSealpostRunIsNotMeasured() {
    PeerRun failed =
        new PeerRun(
            new PeerDescription("sealpost", "1", "a", "d"),
            w1(100_000, 0.01, 1),
            null,
            null,
            null,
            List.of(),
            "relay crashed");

    List<Targets.Check> checks = Targets.check(List.of(failed, run("nats", w1(1_000, 0.2, 1_000))));

    assertThat(met(checks, "W1 delivered msg/s, B = 16359, ≥ 1.0× NATS")).isEmpty();
    assertThat(Targets.markdown(List.of(failed))).contains("not measured in this run");
  }

  private static ExtendedWorkloads.ReconnectStorm storm(
      int clients, double seconds, double cpuSeconds, boolean complete) {
    return new ExtendedWorkloads.ReconnectStorm(
        clients,
        clients / 10,
        2,
        3,
        seconds / 2,
        seconds / 2,
        seconds,
        clients,
        clients / 5,
        0,
        0,
        "",
        cpuSeconds,
        1,
        complete);
  }

  private static PeerRun withStorm(ExtendedWorkloads.ReconnectStorm w5) {
    return new PeerRun(
        new PeerDescription("sealpost", "1", "a", "d"),
        null,
        null,
        null,
        new PeerRun.Extended(null, null, null, w5, null),
        List.of(),
        null);
  }

  @Test
  void theStormIsJudgedOnlyAtTenThousandClientsAndOnlyWhenComplete() {
    // 10,000 sessions in 12 s at 8 s of relay CPU: 0.8 ms each
    List<Targets.Check> fast = Targets.check(List.of(withStorm(storm(10_000, 12, 8, true))));
    assertThat(met(fast, "W5 with 10,000 clients under 15 s")).contains(true);
    assertThat(met(fast, "relay CPU ≤ 1 ms per session")).contains(true);

    List<Targets.Check> slow = Targets.check(List.of(withStorm(storm(10_000, 16, 12, true))));
    assertThat(met(slow, "W5 with 10,000 clients under 15 s")).contains(false);
    assertThat(met(slow, "relay CPU ≤ 1 ms per session")).contains(false);

    List<Targets.Check> cut = Targets.check(List.of(withStorm(storm(10_000, 5, 1, false))));
    assertThat(met(cut, "W5 with 10,000 clients under 15 s")).contains(false);
    assertThat(met(cut, "relay CPU ≤ 1 ms per session")).contains(false);

    List<Targets.Check> small = Targets.check(List.of(withStorm(storm(200, 1, 0.1, true))));
    assertThat(met(small, "W5 with 10,000 clients under 15 s")).isEmpty();
    assertThat(met(small, "relay CPU ≤ 1 ms per session")).contains(true);
    assertThat(Targets.check(List.of(run("sealpost", null))))
        .filteredOn(c -> c.target().startsWith("W5"))
        .extracting(Targets.Check::measured)
        .containsExactly("not measured in this run");
  }
}
