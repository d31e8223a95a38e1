package org.sealpost.relay.admin;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The admin HTTP server (plain HTTP, loopback by default): {@code /metrics} in the Prometheus text
 * format, {@code /health} (the process is alive) and {@code /ready} (the store is open and the
 * listener is bound; 503 otherwise, including during shutdown), and {@code POST /backup} (an online
 * snapshot, for the holder of the admin token: {@link BackupEndpoint}).
 */
public final class AdminServer {
  /** The Prometheus text exposition format. */
  public static final String METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final Vertx vertx;
  private final PrometheusMeterRegistry registry;
  private final BooleanSupplier ready;
  private final Optional<BackupEndpoint> backup;
  private HttpServer server;
  // issue 14: a cluster node's shard availability, under "ok" on /health
  private Supplier<String> healthDetail = () -> "";

  public AdminServer(Vertx vertx, PrometheusMeterRegistry registry, BooleanSupplier ready) {
    this(vertx, registry, ready, Optional.empty());
  }

  /** With {@code POST /backup} served by {@code backup} (issue 12). */
  public AdminServer(
      Vertx vertx,
      PrometheusMeterRegistry registry,
      BooleanSupplier ready,
      Optional<BackupEndpoint> backup) {
    this.vertx = vertx;
    this.registry = registry;
    this.ready = ready;
    this.backup = backup;
  }

  // issue 14: shard availability on /health
  /** Lines {@code /health} shows under {@code ok} (a cluster node's shards); empty for none. */
  public AdminServer healthDetail(Supplier<String> detail) {
    this.healthDetail = java.util.Objects.requireNonNull(detail, "detail");
    return this;
  }

  /** Binds {@code host:port}; the address was validated by the configuration. */
  public Future<Integer> start(String host, int port) {
    server =
        vertx
            .createHttpServer(new HttpServerOptions().setHost(host).setPort(port))
            .requestHandler(this::handle);
    return server.listen().map(HttpServer::actualPort);
  }

  private void handle(HttpServerRequest req) {
    if (req.method() == HttpMethod.POST && req.path().equals("/backup") && backup.isPresent()) {
      backup.get().handle(req);
      return;
    }
    if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
      req.response().setStatusCode(405).end();
      return;
    }
    switch (req.path()) {
      case "/metrics" ->
          req.response().putHeader("Content-Type", METRICS_CONTENT_TYPE).end(registry.scrape());
      case "/health" ->
          req.response().putHeader("Content-Type", "text/plain").end("ok\n" + healthDetail.get());
      case "/ready" -> {
        boolean ok = ready.getAsBoolean();
        req.response()
            .setStatusCode(ok ? 200 : 503)
            .putHeader("Content-Type", "text/plain")
            .end(ok ? "ready\n" : "not ready\n");
      }
      default -> req.response().setStatusCode(404).end();
    }
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
