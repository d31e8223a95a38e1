package org.sealpost.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.relay.EmbeddedRelay;

/**
 * Every PromQL expression in the Grafana dashboard and the alert rules names only metrics, labels
 * and label values that a real relay exports: the names come from scraping a relay started here,
 * not from a list kept by hand.
 */
class OpsMetricNamesIT {
  private static final Path OPS = Path.of(System.getProperty("ops.dir", "../ops"));

  /** Labels Prometheus adds at scrape time, and its own per-target series. */
  private static final Set<String> TARGET_LABELS = Set.of("job", "instance");

  private static final Set<String> PROMETHEUS_SERIES = Set.of("up");
  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+\\S+.*$");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"([^\"]*)\"");
  private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.*),\\s*\\w+\\)");

  @TempDir static Path dataDir;
  // issue 14: a one-node cluster exports the cluster metrics as well
  @TempDir static Path clusterDir;
  private static EmbeddedRelay relay;
  private static EmbeddedRelay clusterNode;

  /** Exported series: metric name to the label sets of its series. */
  private static final Map<String, List<Map<String, String>>> exported = new HashMap<>();

  @BeforeAll
  static void scrapeARealRelay() throws InterruptedException {
    relay = EmbeddedRelay.start(dataDir, false, Map.of());
    clusterNode = EmbeddedRelay.start(clusterDir.resolve("data"), false, oneNodeCluster());
    String scrape = relay.meterRegistry().scrape() + "\n" + clusterNode.meterRegistry().scrape();
    for (String line : scrape.split("\n")) {
      Matcher m = SAMPLE.matcher(line);
      if (line.startsWith("#") || !m.matches()) {
        continue;
      }
      Map<String, String> labels = new HashMap<>();
      if (m.group(2) != null) {
        Matcher l = LABEL.matcher(m.group(2));
        while (l.find()) {
          labels.put(l.group(1), l.group(2));
        }
      }
      exported.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(labels);
    }
  }

  // issue 14: a cluster of one node owning both shards, on 127.0.0.1
  private static Map<String, String> oneNodeCluster() {
    try {
      Path keyDir = java.nio.file.Files.createDirectories(clusterDir.resolve("key"));
      org.sealpost.relay.crypto.TlsCertificates.CertificatePaths key =
          new org.sealpost.relay.crypto.TlsCertificates(
                  new java.security.SecureRandom(), java.time.Clock.systemUTC())
              .loadOrCreateSelfSigned(keyDir, "sealpost-cluster");
      int hazelcast = freePort();
      return Map.of(
          "cluster.node",
          "n1",
          "cluster.shards",
          "n1:0-1",
          "cluster.shard-count",
          "2",
          "cluster.key-cert",
          key.certificate().toString(),
          "cluster.key",
          key.privateKey().toString(),
          "cluster.host",
          "127.0.0.1",
          "cluster.port",
          Integer.toString(hazelcast),
          "cluster.bus-port",
          Integer.toString(freePort()),
          "cluster.members",
          "127.0.0.1:" + hazelcast);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static int freePort() throws IOException {
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  @AfterAll
  static void stop() {
    if (relay != null) {
      relay.close();
    }
    if (clusterNode != null) {
      clusterNode.close();
    }
  }

  @Test
  void theScrapeHoldsTheRelayMetrics() {
    assertThat(exported).containsKeys("sealpost_commands_total", "sealpost_connections_open");
    assertThat(exported)
        .containsKeys(
            "sealpost_cluster_shard_available",
            "sealpost_cluster_members",
            "sealpost_cluster_commands_total");
  }

  @Test
  void dashboardExpressionsUseOnlyExportedMetrics() throws IOException {
    List<String> exprs = dashboardExpressions();
    assertThat(exprs).hasSizeGreaterThan(10);
    exprs.forEach(OpsMetricNamesIT::assertExported);
  }

  @Test
  void dashboardShowsEveryExportedRelayMetric() throws IOException {
    Set<String> shown = new TreeSet<>();
    dashboardExpressions().forEach(e -> shown.addAll(PromQlNames.metricNames(e)));
    Set<String> relayMetrics = new TreeSet<>();
    exported.keySet().stream().filter(n -> n.startsWith("sealpost_")).forEach(relayMetrics::add);
    assertThat(shown).containsAll(relayMetrics);
  }

  @Test
  void alertRulesUseOnlyExportedMetrics() throws IOException {
    JsonNode rules =
        new ObjectMapper(new YAMLFactory())
            .readTree(OPS.resolve("prometheus/sealpost-rules.yml").toFile());
    List<String> exprs = new ArrayList<>();
    for (JsonNode group : rules.path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        exprs.add(rule.path("expr").asText());
      }
    }
    assertThat(exprs).hasSizeGreaterThan(5);
    exprs.forEach(OpsMetricNamesIT::assertExported);
  }

  private static List<String> dashboardExpressions() throws IOException {
    JsonNode dashboard =
        new ObjectMapper().readTree(OPS.resolve("grafana/sealpost-dashboard.json").toFile());
    List<String> exprs = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        exprs.add(target.path("expr").asText());
      }
    }
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      Matcher m = LABEL_VALUES.matcher(variable.path("definition").asText());
      if (m.matches()) {
        exprs.add(m.group(1));
      }
    }
    return exprs;
  }

  private static void assertExported(String expr) {
    Set<String> names = PromQlNames.metricNames(expr);
    assertThat(names).as("metrics in %s", expr).isNotEmpty();
    for (String name : names) {
      assertThat(exported.containsKey(name) || PROMETHEUS_SERIES.contains(name))
          .as("%s in %s is exported by the relay", name, expr)
          .isTrue();
    }
    PromQlNames.matchers(expr).forEach((name, matchers) -> assertMatchers(expr, name, matchers));
  }

  private static void assertMatchers(
      String expr, String name, List<PromQlNames.Matcher3> matchers) {
    List<Map<String, String>> series = exported.getOrDefault(name, List.of());
    for (PromQlNames.Matcher3 m : matchers) {
      if (TARGET_LABELS.contains(m.label())) {
        continue;
      }
      Set<String> values = new HashSet<>();
      series.forEach(s -> values.add(s.get(m.label())));
      values.remove(null);
      assertThat(values).as("values of label %s of %s in %s", m.label(), name, expr).isNotEmpty();
      if (m.op().equals("=") || m.op().equals("=~")) {
        for (String value : m.value().split("\\|")) {
          assertThat(values).as("label %s of %s in %s", m.label(), name, expr).contains(value);
        }
      }
    }
  }
}
