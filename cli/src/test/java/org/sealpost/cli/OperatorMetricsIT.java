package org.sealpost.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.sealpost.cli.Await.get;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.client.Mailbox;
import org.sealpost.client.SealpostClient;
import org.sealpost.proto.crypto.X25519KeyPair;
import org.sealpost.relay.EmbeddedRelay;

/**
 * The operator metrics of a relay in use: store counts and size, free disk, the commit-time
 * histogram, process and JVM figures and the build, all without a per-queue label.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OperatorMetricsIT {
  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})?\\s+(\\S+)$", Pattern.MULTILINE);

  @TempDir Path dir;

  /** Series (name plus labels) to value. */
  private static Map<String, Double> scrape(EmbeddedRelay relay) {
    Map<String, Double> series = new HashMap<>();
    Matcher m = SAMPLE.matcher(relay.meterRegistry().scrape());
    while (m.find()) {
      series.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.valueOf(m.group(3)));
    }
    return series;
  }

  @Test
  void storeCountsDiskCommitTimesAndProcessFiguresAreExported() throws Exception {
    try (EmbeddedRelay relay = EmbeddedRelay.start(dir.resolve("relay"), false, Map.of());
        SealpostClient client = SealpostClient.create()) {
      Mailbox one = get(client.createMailbox(relay.address()));
      Mailbox two = get(client.createMailbox(relay.address()));
      X25519KeyPair sender = client.newIdentity();
      for (int i = 0; i < 2; i++) {
        get(client.send(one.address(), ("m" + i).getBytes(UTF_8), sender));
      }
      get(client.send(two.address(), "m".getBytes(UTF_8), sender));

      Map<String, Double> s = scrape(relay);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while ((s.getOrDefault("sealpost_store_envelopes", 0.0) != 3.0
              || s.getOrDefault("sealpost_store_queues", 0.0) != 3.0)
          && System.nanoTime() < deadline) {
        Thread.onSpinWait();
        Thread.yield();
        s = scrape(relay);
      }
      assertThat(s).containsEntry("sealpost_store_envelopes", 3.0);
      // the two mailboxes and the relay's own decoy queue (it balances lookups)
      assertThat(s).containsEntry("sealpost_store_queues", 3.0);
      assertThat(s.get("sealpost_store_disk_bytes")).isPositive();
      assertThat(s.get("sealpost_data_disk_free_bytes")).isPositive();
      assertThat(s.get("sealpost_data_disk_size_bytes"))
          .isGreaterThanOrEqualTo(s.get("sealpost_data_disk_free_bytes"));
      // two creations and three sends: each a durable commit
      assertThat(s.get("sealpost_store_commit_seconds_count")).isGreaterThanOrEqualTo(5.0);
      assertThat(s.get("sealpost_store_commit_seconds_sum")).isPositive();
      assertThat(s.get("sealpost_store_commit_seconds_bucket{le=\"+Inf\"}"))
          .isEqualTo(s.get("sealpost_store_commit_seconds_count"));
      assertThat(s.get("process_memory_rss_bytes")).isGreaterThan(10_000_000.0);
      assertThat(s.get("process_files_open_files")).isPositive();
      assertThat(s.keySet()).anyMatch(k -> k.startsWith("jvm_memory_used_bytes{"));
      assertThat(s.keySet()).anyMatch(k -> k.startsWith("sealpost_build_info{version=\""));
      assertThat(s.keySet())
          .filteredOn(k -> k.startsWith("sealpost_store_") || k.startsWith("sealpost_data_"))
          .allMatch(k -> !k.contains("{") || k.matches("[a-z_]+\\{le=\"[^\"]+\"}"));
    }
  }
}
