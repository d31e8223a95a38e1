package org.sealpost.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.relay.config.RelayConfig;
import org.sealpost.relay.config.RelayConfigLoader;

/** The three-node example in ops/cluster/ is valid: HAProxy accepts it, the relay loads it. */
class OpsClusterExampleIT {
  private static final Path EXAMPLE = Path.of("..", "ops", "cluster");

  @TempDir Path tmp;

  @Test
  void haproxyAcceptsTheExample() throws Exception {
    Process p =
        new ProcessBuilder("haproxy", "-c", "-f", EXAMPLE.resolve("haproxy.cfg").toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
  }

  @Test
  void everyNodeLoadsAndTheThreeShareOneShardMapCoveringEveryShard() throws IOException {
    Path cert = Files.writeString(tmp.resolve("cert.pem"), "x");
    Path key = Files.writeString(tmp.resolve("key.pem"), "x");
    String shards = null;
    int owned = 0;
    for (int i = 1; i <= 3; i++) {
      // the files name /etc and /var paths of a real node: only those are replaced here
      RelayConfig c =
          RelayConfigLoader.load(
              List.of(
                  "--config", EXAMPLE.resolve("n" + i + ".properties").toString(),
                  "--cluster-key-cert", cert.toString(),
                  "--cluster-key", key.toString(),
                  "--data-dir", tmp.resolve("data").toString()),
              Map.of());
      assertThat(c.cluster().node()).isEqualTo("n" + i);
      assertThat(c.cluster().host()).isEqualTo(c.listenHost()).isEqualTo("10.0.0.1" + i);
      ClusterSettings s = RelayClusterBackend.settings(c.cluster());
      if (shards == null) {
        shards = c.cluster().shards();
      }
      assertThat(c.cluster().shards()).isEqualTo(shards);
      assertThat(s.members()).hasSize(3);
      owned += s.shards().shardsOf("n" + i).size();
    }
    assertThat(owned).isEqualTo(18);
  }
}
