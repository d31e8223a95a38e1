package org.sealpost.relay.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 14: the cluster settings, validated by the relay's loader. */
class ClusterConfigTest {
  @TempDir Path tmp;

  private Map<String, String> node() throws IOException {
    Path cert = Files.writeString(tmp.resolve("cluster.crt"), "cert");
    Path key = Files.writeString(tmp.resolve("cluster.key"), "key");
    Map<String, String> m = new HashMap<>();
    m.put("cluster.node", "n1");
    m.put("cluster.shards", "n1:0-7; n2:8-15");
    m.put("cluster.key-cert", cert.toString());
    m.put("cluster.key", key.toString());
    m.put("cluster.host", "10.0.0.11");
    m.put("cluster.members", "10.0.0.11:5701, 10.0.0.12:5701");
    return m;
  }

  @Test
  void aSingleRelayIsTheDefaultAndNeedsNoClusterSetting() {
    ClusterConfig c = RelayConfig.defaults().cluster();
    assertThat(c.enabled()).isFalse();
    assertThat(c).isEqualTo(ClusterConfig.single());
  }

  @Test
  void aNodeIsReadFromFileKeysEnvironmentAndFlags() throws IOException {
    ClusterConfig c = RelayConfigLoader.fromSettings(node()).cluster();
    assertThat(c.enabled()).isTrue();
    assertThat(c.node()).isEqualTo("n1");
    assertThat(c.shardCount()).isEqualTo(16);
    assertThat(c.port()).isEqualTo(5701);
    assertThat(c.busPort()).isEqualTo(5702);
    assertThat(c.members()).containsExactly("10.0.0.11:5701", "10.0.0.12:5701");
    assertThat(c.commandTimeout()).isEqualTo(Duration.ofSeconds(2));

    Map<String, String> env = new HashMap<>();
    node().forEach((k, v) -> env.put(Setting.byKey(k).orElseThrow().envVar(), v));
    env.put("SEALPOST_CLUSTER_COMMAND_TIMEOUT", "500ms");
    ClusterConfig fromEnv =
        RelayConfigLoader.load(List.of("--cluster-bus-port", "6000"), env).cluster();
    assertThat(fromEnv.busPort()).isEqualTo(6000);
    assertThat(fromEnv.commandTimeout()).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void aNodeWithoutKeyHostOrMembersIsRefusedWithEveryProblemNamed() {
    assertThatThrownBy(
            () ->
                RelayConfigLoader.fromSettings(
                    Map.of("cluster.node", "n1", "cluster.shards", "n1:0-15")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cluster.key-cert")
        .hasMessageContaining("cluster.key ")
        .hasMessageContaining("cluster.host")
        .hasMessageContaining("cluster.members");
  }

  @Test
  void wildcardHostsBadMapsAndSharedPortsAreRefused() throws IOException {
    Map<String, String> m = node();
    m.put("cluster.host", "0.0.0.0");
    m.put("cluster.shards", "n1=0-7");
    m.put("cluster.bus-port", "5701");
    m.put("cluster.node", "N1");
    assertThatThrownBy(() -> RelayConfigLoader.fromSettings(m))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cluster.host (from")
        .hasMessageContaining("not a wildcard")
        .hasMessageContaining("cluster.shards (from")
        .hasMessageContaining("cluster.bus-port (from")
        .hasMessageContaining("cluster.node (from");
  }
}
