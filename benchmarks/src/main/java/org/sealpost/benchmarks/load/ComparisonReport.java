package org.sealpost.benchmarks.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report of one comparison run: JSON with every figure, a Markdown summary and PNG plots.
 *
 * @param date when the run started (ISO-8601)
 * @param machine machine facts (cores, memory, OS, kernel, JDK, disk)
 * @param parameters workload parameters
 * @param runs one entry per peer, in run order
 * @param notIncluded systems the run did not include, each with the reason
 */
public record ComparisonReport(
    String date,
    Map<String, String> machine,
    Map<String, Object> parameters,
    List<PeerRun> runs,
    List<String> notIncluded) {

  private static final double MIB = 1024.0 * 1024.0;

  /** Writes {@code report.json}, {@code report.md} and the plots into {@code dir}. */
  public void writeTo(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("report.json"), toJson());
    Files.writeString(dir.resolve("report.md"), toMarkdown());
    Plots.write(this, dir);
  }

  public String toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("date", date);
    m.put("machine", machine);
    m.put("parameters", parameters);
    List<Object> peers = new ArrayList<>();
    for (PeerRun r : runs) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("name", r.peer().name());
      p.put("version", r.peer().version());
      p.put("accepted", r.peer().accepted());
      p.put("durability", r.peer().durability());
      if (r.w1() != null) {
        Map<String, Object> w1 = new LinkedHashMap<>();
        w1.put("closedLoop", phase(r.w1().closedLoop()));
        w1.put("openLoop", phase(r.w1().openLoop()));
        p.put("w1", w1);
      }
      if (r.w2() != null) {
        Map<String, Object> w2 = new LinkedHashMap<>();
        w2.put("messages", r.w2().params().messages());
        w2.put("queues", r.w2().params().queues());
        w2.put("scaleNote", r.w2().params().scaleNote());
        w2.put("fill", phase(r.w2().fill()));
        w2.put("drain", phase(r.w2().drain()));
        w2.put("sessionsPerSecond", r.w2().sessionsPerSecond());
        w2.put("sessionMillisP50", r.w2().sessionMillisP50());
        w2.put("sessionMillisP99", r.w2().sessionMillisP99());
        p.put("w2", w2);
      }
      if (r.probe() != null && !r.probe().isEmpty()) {
        List<Object> probe = new ArrayList<>();
        for (StorageProbeResult s : r.probe()) {
          Map<String, Object> e = new LinkedHashMap<>();
          e.put("valueBytes", s.valueBytes());
          e.put("groupSize", s.groupSize());
          e.put("messages", s.messages());
          e.put("seconds", s.seconds());
          e.put("messagesPerSecond", s.messagesPerSecond());
          e.put("cpuMicrosPerMessage", s.cpuMicrosPerMessage());
          e.put("writeBytesPerMessage", s.writeBytesPerMessage());
          probe.add(e);
        }
        p.put("rocksdbProbe", probe);
      }
      if (r.extended() != null) {
        p.put("extended", extended(r.extended()));
      }
      p.put("notes", r.notes());
      p.put("error", r.error());
      peers.add(p);
    }
    m.put("peers", peers);
    m.put("notIncluded", notIncluded);
    return Json.write(m);
  }

  private static Map<String, Object> extended(PeerRun.Extended x) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (x.idleConnections() != null) {
      ExtendedWorkloads.IdleConnections c = x.idleConnections();
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("connections", c.connections());
      e.put("before", memory(c.before()));
      e.put("after", memory(c.after()));
      e.put("openSeconds", c.openSeconds());
      e.put("rssBytesPerConnection", c.rssPerConnection());
      e.put("nmtCommittedBytesPerConnection", c.nmtPerConnection());
      e.put("heapUsedBytesPerConnection", c.heapPerConnection());
      e.put("jvmFlags", c.jvmFlags());
      m.put("w3IdleConnections", e);
    }
    if (x.idleQueues() != null) {
      ExtendedWorkloads.IdleQueues q = x.idleQueues();
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("queues", q.queues());
      e.put("before", memory(q.before()));
      e.put("after", memory(q.after()));
      e.put("fillSeconds", q.fillSeconds());
      e.put("rssBytesPerQueue", q.rssPerQueue());
      e.put("nmtCommittedBytesPerQueue", q.nmtPerQueue());
      e.put("diskBytesPerQueue", q.diskPerQueue());
      e.put("jvmFlags", q.jvmFlags());
      m.put("w3IdleQueues", e);
    }
    if (x.resubscribe() != null) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("queues", x.resubscribe().queues());
      e.put("roundNanos", x.resubscribe().roundNanos());
      e.put("medianMillis", x.resubscribe().medianMillis());
      m.put("w4Resubscribe", e);
    }
    if (x.reconnectStorm() != null) {
      m.put("w5ReconnectStorm", storm(x.reconnectStorm()));
    }
    if (x.w1Blocks() != null) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("in", x.w1Blocks().in());
      e.put("out", x.w1Blocks().out());
      m.put("w1BlocksPerMessage", e);
    }
    return m;
  }

  private static Map<String, Object> storm(ExtendedWorkloads.ReconnectStorm w) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("clients", w.clients());
    e.put("clientsWithPending", w.clientsWithPending());
    e.put("pendingPerClient", w.pendingPerClient());
    e.put("restartSeconds", w.restartSeconds());
    e.put("resubscribedSeconds", w.resubscribedSeconds());
    e.put("halfDoneSeconds", w.halfDoneSeconds());
    e.put("stormSeconds", w.stormSeconds());
    e.put("clientsDone", w.clientsDone());
    e.put("delivered", w.delivered());
    e.put("duplicates", w.duplicates());
    e.put("reconnectFailures", w.reconnectFailures());
    e.put("failureCauses", w.failureCauses());
    e.put("relayCpuSeconds", w.relayCpuSeconds());
    e.put("relayCpuMillisPerSession", w.relayCpuMillisPerSession());
    e.put("loadGeneratorCpuSeconds", w.loadGeneratorCpuSeconds());
    e.put("loadGeneratorCpuMillisPerSession", w.loadGeneratorCpuMillisPerSession());
    e.put("complete", w.complete());
    return e;
  }

  /** "; NMT by category B/each: Java Heap +18,000, Other +9,000" (empty when none changed). */
  private static String nmtCategories(Map<String, Double> perConnection) {
    if (perConnection.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder("; NMT by category B/each:");
    String sep = " ";
    for (Map.Entry<String, Double> e : perConnection.entrySet()) {
      sb.append(sep)
          .append(e.getKey())
          .append(' ')
          .append(e.getValue() >= 0 ? "+" : "")
          .append(fmt(e.getValue(), 0));
      sep = ", ";
    }
    return sb.toString();
  }

  private static Map<String, Object> memory(ExtendedWorkloads.Memory mem) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rssBytes", mem.rssBytes());
    m.put("nmtCommittedBytes", mem.nmtCommittedBytes());
    m.put("heapUsedBytes", mem.heapUsedBytes());
    m.put("nmtCommittedBytesByCategory", mem.nmtCommittedByCategory());
    return m;
  }

  private static Map<String, Object> phase(PhaseResult p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", p.name());
    m.put("targetRate", p.targetRate());
    m.put("sent", p.sent());
    m.put("accepted", p.accepted());
    m.put("sendFailures", p.sendFailures());
    m.put("delivered", p.delivered());
    m.put("duplicates", p.duplicates());
    m.put("seconds", p.seconds());
    m.put("messagesPerSecond", p.messagesPerSecond());
    m.put("complete", p.complete());
    m.put("latencyCorrectedMicros", latency(p.latencyCorrected()));
    m.put("latencyUncorrectedMicros", latency(p.latencyUncorrected()));
    ResourceSampler.Usage u = p.usage();
    Map<String, Object> use = new LinkedHashMap<>();
    use.put("peerCpuSeconds", u.peerCpuSeconds());
    use.put("peerCpuMicrosPerMessage", p.peerCpuMicrosPerMessage());
    use.put("peerPeakRssBytes", u.peerPeakRssBytes());
    use.put("peerPeakPssBytes", u.peerPeakPssBytes());
    use.put("peerWriteBytes", u.peerWriteBytes());
    use.put("peerCancelledWriteBytes", u.peerCancelledWriteBytes());
    use.put("diskWrittenBytes", u.diskWrittenBytes());
    use.put("loadGeneratorCpuSeconds", u.loadGeneratorCpuSeconds());
    use.put("loadGeneratorCpuMicrosPerMessage", p.loadGeneratorCpuMicrosPerMessage());
    use.put("loadGeneratorRssBytes", u.loadGeneratorRssBytes());
    List<Object> series = new ArrayList<>();
    for (double[] pt : u.throughput()) {
      series.add(List.of(round(pt[0], 3), round(pt[1], 1)));
    }
    use.put("throughputPerSecond", series);
    m.put("usage", use);
    return m;
  }

  private static Object latency(LatencyRecorder.Summary s) {
    if (s == null) {
      return null;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("count", s.count());
    m.put("p50", s.p50());
    m.put("p90", s.p90());
    m.put("p99", s.p99());
    m.put("p999", s.p999());
    m.put("max", s.max());
    m.put("mean", round(s.mean(), 1));
    return m;
  }

  private static double round(double v, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }

  /** The Markdown summary: header, one table per workload, notes. */
  public String toMarkdown() {
    StringBuilder md = new StringBuilder();
    md.append("# Peer comparison, ").append(date).append("\n\n");
    md.append("| machine | |\n|---|---|\n");
    machine.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v).append(" |\n"));
    md.append("\nParameters: ");
    List<String> ps = new ArrayList<>();
    parameters.forEach((k, v) -> ps.add(k + "=" + v));
    md.append(String.join(", ", ps)).append("\n\n");

    md.append("## Peers and durability\n\n| peer | version | \"accepted\" means | durability |\n");
    md.append("|---|---|---|---|\n");
    for (PeerRun r : runs) {
      PeerDescription d = r.peer();
      md.append(row(d.name(), d.version(), d.accepted(), d.durability()));
    }

    md.append("\n## W1 online delivery\n\n");
    md.append(
        "| peer | delivered msg/s (closed loop) | peer CPU µs/msg | load-gen CPU µs/msg"
            + " | peer RSS / PSS peak MiB | peer disk writes B/msg | open-loop msg/s"
            + " | p50 / p99 / p99.9 ms (CO-corrected) | p99 ms uncorrected | complete |\n");
    md.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (PeerRun r : runs) {
      if (r.w1() == null) {
        continue;
      }
      PhaseResult c = r.w1().closedLoop();
      PhaseResult o = r.w1().openLoop();
      LatencyRecorder.Summary lc = o.latencyCorrected();
      md.append(
          row(
              r.peer().name(),
              fmt(c.messagesPerSecond(), 0),
              fmt(c.peerCpuMicrosPerMessage(), 0),
              fmt(c.loadGeneratorCpuMicrosPerMessage(), 0),
              fmt(c.usage().peerPeakRssBytes() / MIB, 0)
                  + " / "
                  + fmt(c.usage().peerPeakPssBytes() / MIB, 0),
              c.delivered() == 0
                  ? "-"
                  : fmt((double) c.usage().peerWriteBytes() / c.delivered(), 0),
              fmt(o.messagesPerSecond(), 0) + " (target " + fmt(o.targetRate(), 0) + ")",
              ms(lc.p50()) + " / " + ms(lc.p99()) + " / " + ms(lc.p999()),
              ms(o.latencyUncorrected().p99()),
              (c.complete() && o.complete() ? "yes" : "NO")
                  + (c.duplicates() + o.duplicates() > 0
                      ? ", " + (c.duplicates() + o.duplicates()) + " duplicates"
                      : "")));
    }

    md.append("\n## W2 offline fill then drain\n\n");
    if (Boolean.TRUE.equals(parameters.get("w2WarmupRound"))) {
      md.append(
          "Run with `--w2-warmup`: each peer process first ran an unreported round of one"
              + " message into each of the same queues, drained by as many sessions, so the drain"
              + " is measured warm (that round's figures are in the notes).\n\n");
    }
    md.append(
        "| peer | messages → queues | fill msg/s | drain msg/s | sessions/s"
            + " | session p50 / p99 ms | peer CPU µs/msg fill / drain | peer disk writes B/msg (fill)"
            + " | complete |\n");
    md.append("|---|---|---|---|---|---|---|---|---|\n");
    for (PeerRun r : runs) {
      if (r.w2() == null) {
        continue;
      }
      OfflineFillDrain.Result w = r.w2();
      md.append(
          row(
              r.peer().name(),
              String.format(Locale.ROOT, "%,d → %,d", w.params().messages(), w.params().queues()),
              fmt(w.fill().messagesPerSecond(), 0),
              fmt(w.drain().messagesPerSecond(), 0),
              fmt(w.sessionsPerSecond(), 1),
              fmt(w.sessionMillisP50(), 1) + " / " + fmt(w.sessionMillisP99(), 1),
              fmt(w.fill().peerCpuMicrosPerMessage(), 0)
                  + " / "
                  + fmt(w.drain().peerCpuMicrosPerMessage(), 0),
              w.fill().accepted() == 0
                  ? "-"
                  : fmt((double) w.fill().usage().peerWriteBytes() / w.fill().accepted(), 0),
              w.fill().complete() && w.drain().complete() ? "yes" : "NO"));
    }

    for (PeerRun r : runs) {
      if (r.probe() == null || r.probe().isEmpty()) {
        continue;
      }
      md.append("\n## ").append(r.peer().name()).append(" probe (put + get + delete)\n\n");
      md.append("| value bytes | synced group | msg/s | CPU µs/msg | disk writes B/msg |\n");
      md.append("|---|---|---|---|---|\n");
      for (StorageProbeResult s : r.probe()) {
        md.append(
            row(
                Integer.toString(s.valueBytes()),
                Integer.toString(s.groupSize()),
                fmt(s.messagesPerSecond(), 0),
                fmt(s.cpuMicrosPerMessage(), 1),
                fmt(s.writeBytesPerMessage(), 0)));
      }
    }

    for (PeerRun r : runs) {
      if (r.extended() != null && hasW3W4(r.extended())) {
        extendedMarkdown(md, r);
      }
    }
    stormMarkdown(md, runs);
    md.append(Targets.markdown(runs));

    md.append("\n## Notes\n\n");
    for (PeerRun r : runs) {
      for (String n : r.notes()) {
        md.append("- ").append(r.peer().name()).append(": ").append(n).append('\n');
      }
      if (r.error() != null) {
        md.append("- ").append(r.peer().name()).append(": FAILED: ").append(r.error()).append('\n');
      }
    }
    for (String n : notIncluded) {
      md.append("- not included: ").append(n).append('\n');
    }
    return md.toString();
  }

  private static boolean hasW3W4(PeerRun.Extended x) {
    return x.idleConnections() != null || x.idleQueues() != null || x.resubscribe() != null;
  }

  private static void stormMarkdown(StringBuilder md, List<PeerRun> runs) {
    if (runs.stream().allMatch(r -> r.w1() == null && r.w2() == null)) {
      return;
    }
    md.append("\n## W5 reconnect storm (relay restarted under subscribed clients)\n\n");
    md.append(
        "| peer | clients | with pending | restart s | all resubscribed s | half done s | all done s |"
            + " relay CPU ms/session | load gen. CPU ms/session | retries | complete |\n");
    md.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (PeerRun r : runs) {
      if (r.w1() == null && r.w2() == null && r.extended() == null) {
        continue;
      }
      ExtendedWorkloads.ReconnectStorm w =
          r.extended() == null ? null : r.extended().reconnectStorm();
      if (w == null) {
        md.append(row(r.peer().name(), "not measured", "", "", "", "", "", "", "", "", ""));
        continue;
      }
      md.append(
          row(
              r.peer().name(),
              fmt(w.clients(), 0),
              fmt(w.clientsWithPending(), 0) + " × " + w.pendingPerClient(),
              fmt(w.restartSeconds(), 1),
              fmt(w.resubscribedSeconds(), 2),
              fmt(w.halfDoneSeconds(), 2),
              fmt(w.stormSeconds(), 2),
              fmt(w.relayCpuMillisPerSession(), 2),
              fmt(w.loadGeneratorCpuMillisPerSession(), 2),
              w.reconnectFailures() == 0
                  ? "0"
                  : fmt(w.reconnectFailures(), 0) + " (" + w.failureCauses() + ")",
              w.complete() ? "yes" : "**no** (" + fmt(w.clientsDone(), 0) + " done)"));
    }
    md.append(
        "\nThe storm starts when the relay's start script returns (listening); every client"
            + " reconnects at that instant through the client library (TLS, WebSocket, Noise),"
            + " resubscribes, and receives its pending messages (stored, pushed but"
            + " unacknowledged before the restart). Relay CPU from /proc over the storm, including"
            + " the fresh JVM's JIT warm-up.\n");
  }

  private static void extendedMarkdown(StringBuilder md, PeerRun r) {
    PeerRun.Extended x = r.extended();
    md.append("\n## ").append(r.peer().name()).append(": W3 idle footprint and W4 resubscribe\n\n");
    md.append("| workload | count | RSS B/each | NMT committed B/each | heap B/each | other |\n");
    md.append("|---|---|---|---|---|---|\n");
    if (x.idleConnections() != null) {
      ExtendedWorkloads.IdleConnections c = x.idleConnections();
      md.append(
          row(
              "W3 idle subscribed connections",
              fmt(c.connections(), 0),
              fmt(c.rssPerConnection(), 0),
              fmt(c.nmtPerConnection(), 0),
              fmt(c.heapPerConnection(), 0),
              "opened in "
                  + fmt(c.openSeconds(), 1)
                  + " s; relay RSS "
                  + mib(c.before().rssBytes())
                  + " → "
                  + mib(c.after().rssBytes())
                  + " MiB"
                  + nmtCategories(c.nmtCategoriesPerConnection(4))));
    }
    if (x.idleQueues() != null) {
      ExtendedWorkloads.IdleQueues q = x.idleQueues();
      md.append(
          row(
              "W3 idle stored queues (relay restarted on them)",
              fmt(q.queues(), 0),
              fmt(q.rssPerQueue(), 1),
              fmt(q.nmtPerQueue(), 1),
              "-",
              "disk "
                  + fmt(q.diskPerQueue(), 0)
                  + " B/queue; added in "
                  + fmt(q.fillSeconds(), 1)
                  + " s"));
    }
    if (x.resubscribe() != null) {
      md.append(
          row(
              "W4 reconnect + resubscribe",
              fmt(x.resubscribe().queues(), 0),
              "-",
              "-",
              "-",
              "median "
                  + fmt(x.resubscribe().medianMillis(), 0)
                  + " ms over "
                  + x.resubscribe().roundNanos().size()
                  + " rounds"));
    }
    String flags =
        x.idleConnections() != null
            ? x.idleConnections().jvmFlags()
            : x.idleQueues() != null ? x.idleQueues().jvmFlags() : "";
    if (!flags.isEmpty()) {
      md.append("\nRelay JVM flags: `")
          .append(flags)
          .append("`; memory read after `jcmd GC.run`.\n");
    }
  }

  private static String mib(long bytes) {
    return fmt(bytes / MIB, 0);
  }

  static String row(String... cells) {
    return "| " + String.join(" | ", cells) + " |\n";
  }

  static String fmt(double v, int decimals) {
    return String.format(Locale.ROOT, "%,." + decimals + "f", v);
  }

  private static String ms(long micros) {
    return fmt(micros / 1000.0, micros < 10_000 ? 2 : 1);
  }
}
