package org.sealpost.relay.protocol;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.sealpost.relay.RelayServer;
import org.sealpost.relay.RunningRelay;
import org.sealpost.relay.config.RelayConfig;
import org.sealpost.relay.config.RelayConfigLoader;

/**
 * A real relay for tests: the infra's server on 127.0.0.1 port 0 (plain WebSocket unless TLS is
 * asked for) with the {@link ProtocolApplication} over a RocksDB store in a temporary directory.
 */
final class RelayFixture implements AutoCloseable {
  final Vertx vertx;
  final RunningRelay relay;
  final ProtocolApplication application;
  final PrometheusMeterRegistry registry;

  private RelayFixture(
      Vertx vertx,
      RunningRelay relay,
      ProtocolApplication application,
      PrometheusMeterRegistry registry) {
    this.vertx = vertx;
    this.relay = relay;
    this.application = application;
    this.registry = registry;
  }

  static RelayFixture start(Path dataDir) {
    return start(dataDir, Map.of(), UnaryOperator.identity());
  }

  static RelayFixture start(
      Path dataDir, Map<String, String> settings, UnaryOperator<ProtocolSettings> tuning) {
    Map<String, String> all = new HashMap<>();
    all.put("data-dir", dataDir.toString());
    all.put("listen.host", "127.0.0.1");
    all.put("listen.port", "0");
    all.put("admin.port", "0");
    all.put("tls.enabled", "false");
    all.put("event-loops", "2");
    all.put("shutdown.grace", "1s");
    all.putAll(settings);
    RelayConfig config = RelayConfigLoader.fromSettings(all);
    Vertx vertx = Vertx.vertx();
    ProtocolApplication application = new ProtocolApplication(tuning);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    RunningRelay relay = TestClient.await(RelayServer.start(vertx, config, application, registry));
    return new RelayFixture(vertx, relay, application, registry);
  }

  TestClient connect() {
    return TestClient.connect(
        vertx, relay.port(), relay.relayPublicKey(), relay.config().blockSize());
  }

  TestClient connect(List<Integer> versions) {
    return TestClient.connect(
        vertx, relay.port(), relay.relayPublicKey(), relay.config().blockSize(), versions);
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
    TestClient.await(relay.close());
    TestClient.await(vertx.close());
  }
}
