package org.sealpost.relay;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import org.sealpost.relay.admin.AdminServer;
import org.sealpost.relay.config.RelayConfig;

/** A started relay: its ports and address, and the graceful {@link #close()}. */
public final class RunningRelay {
  private final Vertx vertx;
  private final RelayConfig config;
  private final RelayApplication application;
  private final PrometheusMeterRegistry registry;
  private final RelayServer.Material material;
  private final List<String> deployments = new ArrayList<>();
  private volatile int port = -1;
  private volatile int adminPort = -1;
  private volatile boolean ready;
  private volatile boolean listening;
  private boolean applicationStarted;
  private AdminServer admin;
  private Future<Void> closing;

  RunningRelay(
      Vertx vertx,
      RelayConfig config,
      RelayApplication application,
      PrometheusMeterRegistry registry,
      RelayServer.Material material) {
    this.vertx = vertx;
    this.config = config;
    this.application = application;
    this.registry = registry;
    this.material = material;
  }

  void applicationStarted() {
    applicationStarted = true;
  }

  synchronized void listenerDeployed(String deploymentId, int boundPort) {
    deployments.add(deploymentId);
    port = boundPort;
    listening = true;
  }

  void adminStarting(AdminServer server) {
    admin = server;
  }

  void adminBound(int boundPort) {
    adminPort = boundPort;
  }

  void markReady() {
    ready = true;
  }

  /** The WebSocket listener's port. */
  public int port() {
    return port;
  }

  /** The admin HTTP server's port. */
  public int adminPort() {
    return adminPort;
  }

  /**
   * The relay address clients use: {@code sealpost://<key>@public-host:port[?b=B]}, or {@code
   * sealpost+ws://...} in plain-WebSocket mode.
   */
  public String relayAddress() {
    return RelayAddresses.format(
        material.key().publicKey(),
        config.publicHost(),
        port,
        config.blockSize(),
        config.tlsEnabled());
  }

  /** The relay's static public key (32 bytes). */
  public byte[] relayPublicKey() {
    return material.key().publicKey();
  }

  public RelayConfig config() {
    return config;
  }

  public PrometheusMeterRegistry meterRegistry() {
    return registry;
  }

  /** Readiness: started, not shutting down, listener bound, and the application ready. */
  public boolean ready() {
    return ready && listening && application.ready();
  }

  /**
   * Graceful shutdown: {@code /ready} turns 503, the listeners stop accepting, connections finish
   * their commands in flight (bounded by {@code shutdown.grace}), then the application closes its
   * store, then the admin server closes. Idempotent; every call returns the same future.
   */
  public synchronized Future<Void> close() {
    if (closing != null) {
      return closing;
    }
    ready = false;
    Promise<Void> done = Promise.promise();
    closing = done.future();
    List<Future<Void>> undeployed = new ArrayList<>();
    for (String id : deployments) {
      // in parallel: every listener instance drains its own connections within the grace period
      undeployed.add(vertx.undeploy(id).recover(e -> Future.succeededFuture()));
    }
    Future.join(undeployed)
        .<Void>mapEmpty()
        .recover(e -> Future.succeededFuture())
        .andThen(v -> listening = false)
        .compose(
            v ->
                applicationStarted
                    ? application.stop().recover(e -> Future.succeededFuture())
                    : Future.succeededFuture())
        .compose(
            v ->
                admin == null
                    ? Future.<Void>succeededFuture()
                    : admin.close().recover(e -> Future.succeededFuture()))
        .onComplete(
            ar -> {
              material.key().destroy();
              done.complete();
            });
    return closing;
  }
}
