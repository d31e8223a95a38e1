package org.sealpost.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComparisonReportTest {

  static ResourceSampler.Usage usage(double peerCpu, long written) {
    return new ResourceSampler.Usage(
        peerCpu,
        64L << 20,
        32L << 20,
        written,
        0,
        written * 2,
        1.5,
        100L << 20,
        List.of(new double[] {0, 0}, new double[] {1, 900}, new double[] {2, 1100}));
  }

  static ComparisonReport report() {
    LatencyRecorder lat = new LatencyRecorder();
    for (int i = 1; i <= 1000; i++) {
      lat.record(0, 0, i * 10_000L);
    }
    PhaseResult closed =
        new PhaseResult(
            "closed-loop",
            0,
            2000,
            2000,
            0,
            2000,
            0,
            2.0,
            1000.0,
            lat.corrected(),
            lat.uncorrected(),
            usage(0.4, 2_048_000),
            true);
    PhaseResult open =
        new PhaseResult(
            "open-loop",
            500,
            1000,
            1000,
            0,
            1000,
            3,
            2.0,
            500.0,
            lat.corrected(),
            lat.uncorrected(),
            usage(0.2, 1_024_000),
            true);
    OnlineDelivery.Result w1 = new OnlineDelivery.Result(null, closed, open, null);
    OfflineFillDrain.Params p2 =
        new OfflineFillDrain.Params(5000, 500, 8, 64, 1024, 16, null, null, "scaled down 20×");
    PhaseResult fill =
        new PhaseResult(
            "fill", 0, 5000, 5000, 0, 0, 0, 5.0, 1000.0, null, null, usage(1, 5_000_000), true);
    PhaseResult drain =
        new PhaseResult("drain", 0, 0, 0, 0, 5000, 0, 10.0, 500.0, null, null, usage(2, 0), false);
    OfflineFillDrain.Result w2 = new OfflineFillDrain.Result(p2, fill, drain, 50.0, 12.5, 80.25);
    PeerRun peer =
        new PeerRun(
            new PeerDescription("demo \"peer\"", "1.2", "stored", "fsync"),
            w1,
            w2,
            null,
            null,
            List.of("W2 scaled down"),
            null);
    PeerRun probe =
        new PeerRun(
            new PeerDescription("rocksdb", "10.10.1", "synced", "WAL"),
            null,
            null,
            List.of(new StorageProbeResult(1024, 64, 48_000, 1.0, 48_000.0, 20.5, 1100.0)),
            null,
            List.of(),
            null);
    Map<String, String> machine = new LinkedHashMap<>();
    machine.put("cores", "2");
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("R", 200);
    params.put("w2WarmupRound", true);
    return new ComparisonReport(
        "2026-11-23T10:00:00Z",
        machine,
        params,
        List.of(peer, probe),
        List.of("Sealpost: pending"));
  }

  @Test
  void markdownHasOneRowPerPeerWithDerivedFigures() {
    String md = report().toMarkdown();

    assertThat(md).contains("| cores | 2 |");
    // 0.4 s of peer CPU over 2000 deliveries = 200 µs; 2,048,000 B / 2000 = 1,024 B
    assertThat(md)
        .contains("| demo \"peer\" | 1,000 | 200 | 750 | 64 / 32 | 1,024 | 500 (target 500) |");
    assertThat(md).contains("3 duplicates");
    assertThat(md)
        .contains(
            "| demo \"peer\" | 5,000 → 500 | 1,000 | 500 | 50.0 | 12.5 / 80.3 | 200 / 400 | 1,000 | NO |");
    assertThat(md).contains("| 1024 | 64 | 48,000 | 20.5 | 1,100 |");
    assertThat(md).contains("- demo \"peer\": W2 scaled down");
    assertThat(md).contains("Run with `--w2-warmup`");
    assertThat(md).contains("- not included: Sealpost: pending");
  }

  @Test
  void jsonCarriesEveryFigureAndEscapesText() {
    String json = report().toJson();

    assertThat(json).contains("\"name\": \"demo \\\"peer\\\"\"");
    assertThat(json).contains("\"messagesPerSecond\": 1000");
    assertThat(json).contains("\"peerCpuMicrosPerMessage\": 200");
    assertThat(json).contains("\"p99\": ");
    assertThat(json).contains("\"throughputPerSecond\": [");
    assertThat(json).contains("\"scaleNote\": \"scaled down 20×\"");
    assertThat(json).contains("\"rocksdbProbe\": [");
    assertThat(json).contains("\"notIncluded\": [");
    // balanced braces: the writer closed everything it opened
    assertThat(json.chars().filter(c -> c == '{').count())
        .isEqualTo(json.chars().filter(c -> c == '}').count());
  }

  @Test
  void jsonCarriesTheBlocksPerMessage() {
    PeerRun relay =
        new PeerRun(
            new PeerDescription("sealpost", "1", "a", "d"),
            null,
            null,
            null,
            new PeerRun.Extended(null, null, null, null, new PeerRun.Blocks(1.13, 1.12)),
            List.of(),
            null);
    String json =
        new ComparisonReport("2026-12-07T14:30:00Z", Map.of(), Map.of(), List.of(relay), List.of())
            .toJson();

    assertThat(json.replaceAll("\\s+", " "))
        .contains("\"w1BlocksPerMessage\": { \"in\": 1.13, \"out\": 1.12 }");
  }

  @Test
  void writesJsonMarkdownAndPlots(@TempDir Path dir) throws Exception {
    report().writeTo(dir);

    assertThat(dir.resolve("report.json")).isNotEmptyFile();
    assertThat(dir.resolve("report.md")).isNotEmptyFile();
    byte[] png = Files.readAllBytes(dir.resolve("w1-latency-cdf.png"));
    assertThat(png).startsWith(0x89, 'P', 'N', 'G');
    assertThat(dir.resolve("w1-throughput.png")).isNotEmptyFile();
  }

  @Test
  void jsonWriterHandlesSpecialValues() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("nan", Double.NaN);
    m.put("text", "a\nb\u0001");
    m.put("list", List.of(1, 2.5));
    m.put("empty", List.of());
    m.put("none", null);

    assertThat(Json.write(m))
        .isEqualTo(
            "{\n  \"nan\": null,\n  \"text\": \"a\\nb\\u0001\",\n  \"list\": [1, 2.5],\n"
                + "  \"empty\": [],\n  \"none\": null\n}\n");
  }
}
