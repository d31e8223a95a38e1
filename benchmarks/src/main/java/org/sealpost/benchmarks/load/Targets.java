package org.sealpost.benchmarks.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The targets of issue 13 for Sealpost, checked against figures of the same run: ratios to NATS
 * JetStream, latency, CPU per message, blocks per message, memory, resubscribe and reconnect-storm
 * time. A target whose figures are missing (a peer left out or failed) says so instead of passing
 * or failing.
 */
public final class Targets {
  static final String DEFAULT = "sealpost";
  static final String SMALL = "sealpost-b4096";

  /** W5's target is stated for this many clients; a smaller run is reported as not measured. */
  static final int STORM_CLIENTS = 10_000;

  private Targets() {}

  /** One target: what was measured, the bound, and whether it was met (empty = not measured). */
  public record Check(String target, String measured, Optional<Boolean> met) {}

  public static List<Check> check(List<PeerRun> runs) {
    List<Check> out = new ArrayList<>();
    Optional<PeerRun> big = find(runs, DEFAULT);
    Optional<PeerRun> small = find(runs, SMALL);
    Optional<PeerRun> nats = find(runs, "nats");
    // issue 13's targets (2026-12-05), which replaced issue 5's
    ratio(out, "W1 delivered msg/s, B = 16359, ≥ 1.0× NATS JetStream", big, nats, 1.0);
    ratio(out, "W1 delivered msg/s, B = 4096, ≥ 2× NATS JetStream", small, nats, 2);
    for (boolean isDefault : new boolean[] {true, false}) {
      Optional<PeerRun> s = isDefault ? big : small;
      String b = isDefault ? "16359" : "4096";
      Optional<OnlineDelivery.Result> w1 = s.map(PeerRun::w1);
      out.add(w1.map(w -> halfLoadTail(w, b)).orElse(missing(halfLoadTarget(b))));
      double bound = isDefault ? 120 : 60;
      out.add(
          w1.map(
                  w ->
                      new Check(
                          "relay CPU per delivered message ≤ "
                              + (int) bound
                              + " µs, B = "
                              + b
                              + " (W1 closed loop)",
                          ComparisonReport.fmt(w.closedLoop().peerCpuMicrosPerMessage(), 0)
                              + " µs (load generator "
                              + ComparisonReport.fmt(
                                  w.closedLoop().loadGeneratorCpuMicrosPerMessage(), 0)
                              + " µs)",
                          Optional.of(w.closedLoop().peerCpuMicrosPerMessage() <= bound)))
              .orElse(
                  missing("relay CPU per delivered message ≤ " + (int) bound + " µs, B = " + b)));
      Optional<PeerRun> natsW2 = nats.filter(n -> n.w2() != null);
      if (s.isPresent() && s.get().w2() != null && natsW2.isPresent()) {
        double r =
            s.get().w2().drain().messagesPerSecond()
                / natsW2.get().w2().drain().messagesPerSecond();
        out.add(
            new Check(
                "W2 drain msg/s ≥ 1.5× NATS JetStream, B = " + b,
                ComparisonReport.fmt(r, 2) + "×",
                Optional.of(r >= 1.5)));
      } else {
        out.add(missing("W2 drain msg/s ≥ 1.5× NATS JetStream, B = " + b));
      }
      String blocks = "W1 blocks per message pushed ≤ 1.2 in and ≤ 1.2 out, B = " + b;
      out.add(
          s.map(PeerRun::extended)
              .map(PeerRun.Extended::w1Blocks)
              .map(
                  k ->
                      new Check(
                          blocks,
                          ComparisonReport.fmt(k.in(), 2)
                              + " in, "
                              + ComparisonReport.fmt(k.out(), 2)
                              + " out (warm-up, closed and open loop)",
                          Optional.of(k.in() <= 1.2 && k.out() <= 1.2)))
              .orElse(missing(blocks)));
    }
    Optional<PeerRun.Extended> x = big.map(PeerRun::extended);
    out.add(
        x.map(PeerRun.Extended::idleConnections)
            .map(
                c -> {
                  double each = Math.max(c.rssPerConnection(), c.nmtPerConnection());
                  return new Check(
                      "W3 ≤ 32 KiB per idle subscribed connection (larger of RSS and NMT)",
                      ComparisonReport.fmt(each / 1024, 1) + " KiB",
                      Optional.of(each <= 32 * 1024));
                })
            .orElse(missing("W3 ≤ 32 KiB per idle subscribed connection (larger of RSS and NMT)")));
    out.add(
        x.map(PeerRun.Extended::idleQueues)
            .map(
                q -> {
                  double each = Math.max(q.rssPerQueue(), q.nmtPerQueue());
                  return new Check(
                      "W3 ≤ 150 B per stored idle queue (larger of RSS and NMT)",
                      ComparisonReport.fmt(each, 1) + " B",
                      Optional.of(each <= 150));
                })
            .orElse(missing("W3 ≤ 150 B per stored idle queue (larger of RSS and NMT)")));
    out.add(
        x.map(PeerRun.Extended::resubscribe)
            .map(
                w ->
                    new Check(
                        "W4 " + w.queues() + " queues resubscribed in < 1 s (median)",
                        ComparisonReport.fmt(w.medianMillis(), 0) + " ms",
                        Optional.of(w.medianMillis() < 1000)))
            .orElse(missing("W4 queues resubscribed in < 1 s (median)")));
    // issue 13: the reconnect storm
    out.add(
        x.map(PeerRun.Extended::reconnectStorm)
            .map(
                w ->
                    new Check(
                        "W5 with 10,000 clients under 15 s on this machine (all resubscribed and"
                            + " pending messages received)",
                        ComparisonReport.fmt(w.stormSeconds(), 2)
                            + " s ("
                            + ComparisonReport.fmt(w.clients(), 0)
                            + " clients"
                            + (w.complete() ? "" : ", incomplete")
                            + ")",
                        // a smaller storm says nothing about the target: not judged
                        w.clients() < STORM_CLIENTS
                            ? Optional.empty()
                            : Optional.of(w.complete() && w.stormSeconds() < 15)))
            .orElse(missing("W5 with 10,000 clients under 15 s on this machine")));
    out.add(
        x.map(PeerRun.Extended::reconnectStorm)
            .map(
                w ->
                    new Check(
                        "relay CPU ≤ 1 ms per session including TLS, Noise and one Subscribe"
                            + " (W5)",
                        ComparisonReport.fmt(w.relayCpuMillisPerSession(), 2)
                            + " ms ("
                            + ComparisonReport.fmt(w.clients(), 0)
                            + " sessions)",
                        Optional.of(w.complete() && w.relayCpuMillisPerSession() <= 1.0)))
            .orElse(
                missing(
                    "relay CPU ≤ 1 ms per session including TLS, Noise and one Subscribe"
                        + " (W5)")));
    return out;
  }

  static String markdown(List<PeerRun> runs) {
    if (runs.stream().noneMatch(r -> r.peer().name().startsWith(DEFAULT))) {
      return "";
    }
    StringBuilder md = new StringBuilder("\n## Sealpost against the targets (same run)\n\n");
    md.append("| target | measured | met |\n|---|---|---|\n");
    for (Check c : check(runs)) {
      md.append(
          ComparisonReport.row(
              c.target(), c.measured(), c.met().map(m -> m ? "yes" : "**no**").orElse("n/a")));
    }
    return md.toString();
  }

  private static void ratio(
      List<Check> out, String target, Optional<PeerRun> ours, Optional<PeerRun> peer, double min) {
    Optional<PeerRun> a = ours.filter(r -> r.w1() != null);
    Optional<PeerRun> b = peer.filter(r -> r.w1() != null);
    if (a.isEmpty() || b.isEmpty() || b.get().w1().closedLoop().messagesPerSecond() <= 0) {
      out.add(missing(target));
      return;
    }
    double r =
        a.get().w1().closedLoop().messagesPerSecond()
            / b.get().w1().closedLoop().messagesPerSecond();
    out.add(new Check(target, ComparisonReport.fmt(r, 2) + "×", Optional.of(r >= min)));
  }

  private static String halfLoadTarget(String b) {
    return "W1 open loop at 50 % of peak, p99 send→deliver ≤ 50 ms, B = " + b;
  }

  /**
   * The p99 target holds at half of the peer's peak; a run at a fixed rate is shown, not judged.
   */
  private static Check halfLoadTail(OnlineDelivery.Result w, String b) {
    double p99 = w.openLoop().latencyCorrected().p99();
    String measured = ComparisonReport.fmt(p99 / 1000.0, 1) + " ms (CO-corrected)";
    double fixed = w.params().fixedOpenRate();
    if (fixed > 0) {
      return new Check(
          halfLoadTarget(b),
          measured
              + " at a fixed "
              + ComparisonReport.fmt(fixed, 0)
              + " msg/s, not at half of peak: not judged",
          Optional.empty());
    }
    return new Check(halfLoadTarget(b), measured, Optional.of(p99 <= 50_000));
  }

  private static Check missing(String target) {
    return new Check(target, "not measured in this run", Optional.empty());
  }

  private static Optional<PeerRun> find(List<PeerRun> runs, String name) {
    return runs.stream().filter(r -> r.peer().name().equals(name) && r.error() == null).findFirst();
  }
}
