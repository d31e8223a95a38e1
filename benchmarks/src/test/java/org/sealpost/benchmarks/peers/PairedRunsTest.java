package org.sealpost.benchmarks.peers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PairedRunsTest {
  @TempDir Path dir;

  /** A report with one Sealpost peer: closed-loop msg/s, relay µs/msg, and a storm if given. */
  private void report(String run, double msgs, double cpu, Double stormSeconds, boolean complete)
      throws Exception {
    String storm =
        stormSeconds == null
            ? ""
            : ", \"extended\": {\"w5ReconnectStorm\": {\"restartSeconds\": "
                + (stormSeconds / 4)
                + ", \"stormSeconds\": "
                + stormSeconds
                + ", \"relayCpuMillisPerSession\": 2.0, \"complete\": "
                + complete
                + "}}";
    String json =
        "{\"peers\": [{\"name\": \"sealpost\", \"error\": null, \"w1\": {\"closedLoop\":"
            + " {\"messagesPerSecond\": "
            + msgs
            + ", \"usage\": {\"peerCpuMicrosPerMessage\": "
            + cpu
            + "}}}"
            + storm
            + "}, {\"name\": \"nats\", \"error\": \"did not start\"}]}";
    Path d = dir.resolve(run);
    Files.createDirectories(d);
    Files.writeString(d.resolve("report.json"), json);
  }

  @Test
  void theRatioIsTheMedianOfEachPairsOwnRatio() throws Exception {
    // pair ratios B/A: 1.10, 0.90, 1.20 -> median 1.10; the medians of the sides are 5,000 and
    // 5,500
    report("a-1", 5_000, 200, 20.0, true);
    report("b-1", 5_500, 180, 18.0, true);
    report("a-2", 6_000, 190, 21.0, true);
    report("b-2", 5_400, 170, 17.0, false);
    report("a-3", 4_000, 210, null, false);
    report("b-3", 4_800, 175, 19.0, true);
    Files.createDirectories(dir.resolve("jars")); // not a run

    String md = PairedRuns.markdown(PairedRuns.load(dir));

    assertThat(md).startsWith("# Alternated A/B runs: 3 pairs");
    assertThat(md)
        .contains(
            "| W1 closed loop msg/s | 5,000, 6,000, 4,000 | 5,500, 5,400, 4,800 | 5,000 | 5,400 |"
                + " 1.100 |");
    assertThat(md)
        .contains("| W1 relay CPU µs/msg (closed) | 200, 190, 210 | 180, 170, 175 | 200 | 175 |");
    // an incomplete storm and a missing one are dashes, and only pair 1 has both sides
    assertThat(md)
        .contains("| W5 storm s | 20.00, 21.00, – | 18.00, –, 19.00 | 20.50 | 18.50 | 0.900 |");
    // the restart is measured whether or not the storm completed
    assertThat(md)
        .contains(
            "| W5 restart s (stop to listening) | 5.00, 5.25, – | 4.50, 4.25, 4.75 | 5.13 | 4.50 |"
                + " 0.855 |");
    // figures no run measured are left out; a peer that failed in every run has no table
    assertThat(md).doesNotContain("W2 drain").doesNotContain("## nats");
  }

  @Test
  void blocksPerMessageComeFromTheExtendedSection() throws Exception {
    for (String run : new String[] {"a-1", "b-1"}) {
      double out = run.startsWith("a") ? 1.2 : 1.08;
      Path d = dir.resolve(run);
      Files.createDirectories(d);
      Files.writeString(
          d.resolve("report.json"),
          "{\"peers\": [{\"name\": \"sealpost\", \"extended\": {\"w1BlocksPerMessage\":"
              + " {\"in\": 1.13, \"out\": "
              + out
              + "}}}]}");
    }

    String md = PairedRuns.markdown(PairedRuns.load(dir));

    assertThat(md)
        .contains("| W1 blocks in per message (whole W1) | 1.13 | 1.13 | 1.13 | 1.13 | 1.000 |");
    assertThat(md)
        .contains("| W1 blocks out per message (whole W1) | 1.20 | 1.08 | 1.20 | 1.08 | 0.900 |");
  }
}
