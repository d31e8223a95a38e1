package org.sealpost.relay.protocol;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.sealpost.relay.EmbeddedRelay;
import org.sealpost.relay.RunningRelay;
import org.sealpost.relay.config.RelayConfig;
import org.sealpost.relay.config.RelayConfigLoader;

/**
 * A real relay for tests: the infra's server on 127.0.0.1 port 0 (plain WebSocket unless TLS is
 * asked for) with the {@link ProtocolApplication} over a RocksDB store in a temporary directory.
 */
final class RelayFixture implements AutoCloseable {
  private final EmbeddedRelay embedded;
  final Vertx vertx;
  final RunningRelay relay;
  final ProtocolApplication application;
  final PrometheusMeterRegistry registry;

  private RelayFixture(EmbeddedRelay embedded, ProtocolApplication application) {
    this.embedded = embedded;
    this.vertx = embedded.vertx();
    this.relay = embedded.running();
    this.application = application;
    this.registry = embedded.meterRegistry();
  }

  static RelayFixture start(Path dataDir) {
    return start(dataDir, Map.of(), UnaryOperator.identity());
  }

  static RelayFixture start(
      Path dataDir, Map<String, String> settings, UnaryOperator<ProtocolSettings> tuning) {
    Map<String, String> all = EmbeddedRelay.loopbackSettings(dataDir);
    all.put("tls.enabled", "false");
    all.put("event-loops", "2");
    all.put("shutdown.grace", "1s");
    // the relay-wide CreateQueue rate is a budget of its own (tested where it is set); fixtures
    // that lift the per-connection limit through the tuning would otherwise hit it at 100 queues
    all.put("queue.create-rate-global", "1000000");
    all.putAll(settings);
    RelayConfig config = RelayConfigLoader.fromSettings(all);
    ProtocolApplication application = new ProtocolApplication(tuning);
    try {
      return new RelayFixture(
          EmbeddedRelay.start(
              config,
              application,
              new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
              Duration.ofSeconds(30)),
          application);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  TestClient connect() {
    return TestClient.connect(
        vertx, relay.port(), relay.relayPublicKey(), relay.config().blockSize());
  }

  TestClient connect(List<Integer> versions) {
    return TestClient.connect(
        vertx, relay.port(), relay.relayPublicKey(), relay.config().blockSize(), versions);
  }

  /** Connects over TLS from {@code localAddress} (127.0.0.2, …; null for any). */
  TestClient connectTls(String localAddress) {
    return TestClient.connect(
        TestClient.raw(vertx, relay.port(), true, localAddress),
        relay.relayPublicKey(),
        relay.config().blockSize(),
        List.of(1));
  }

  TestClient.RawSocket raw() {
    return TestClient.raw(vertx, relay.port());
  }

  /** The Prometheus text of the relay's meters. */
  String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    embedded.close();
  }
}
