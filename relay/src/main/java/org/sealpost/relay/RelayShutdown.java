package org.sealpost.relay;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import org.sealpost.proto.crypto.X25519KeyPair;
import org.sealpost.relay.admin.AdminServer;

/**
 * What a relay has started so far, and the one order in which it is stopped: listeners (each drains
 * its own connections within the grace period), then the application (it closes the store), then
 * the admin server, then the relay key is wiped. Start-up records each piece as it comes up, so
 * that a failed start and a normal close stop exactly what exists. {@link #run()} is idempotent;
 * every call returns the same future.
 */
final class RelayShutdown {
  private final Vertx vertx;
  private final List<X25519KeyPair> keys; // issue 12: the relay key and a rotation's successor
  private final List<String> deployments = new ArrayList<>();
  private RelayApplication application;
  private AdminServer admin;
  private volatile boolean listening;
  private Future<Void> done;

  RelayShutdown(Vertx vertx, X25519KeyPair... keys) {
    this.vertx = vertx;
    this.keys = List.of(keys);
  }

  synchronized void applicationStarted(RelayApplication started) {
    application = started;
  }

  synchronized void listenersDeployed(String deploymentId) {
    deployments.add(deploymentId);
    listening = true;
  }

  synchronized void adminStarting(AdminServer server) {
    admin = server;
  }

  // issue 12: operator metrics stop observing the store before it closes
  private AutoCloseable metrics;

  synchronized void metricsStarted(AutoCloseable started) {
    metrics = started;
  }

  /** Whether the listeners are deployed and not yet stopped. */
  boolean listening() {
    return listening;
  }

  synchronized Future<Void> run() {
    if (done != null) {
      return done;
    }
    Promise<Void> finished = Promise.promise();
    done = finished.future();
    List<Future<Void>> undeployed = new ArrayList<>();
    for (String id : deployments) {
      // in parallel: every listener instance drains its own connections within the grace period
      undeployed.add(vertx.undeploy(id).recover(e -> Future.succeededFuture()));
    }
    RelayApplication app = application;
    AdminServer adminServer = admin;
    AutoCloseable operatorMetrics = metrics;
    Future.join(undeployed)
        .<Void>mapEmpty()
        .recover(e -> Future.succeededFuture())
        .andThen(v -> listening = false)
        .andThen(v -> closeQuietly(operatorMetrics))
        .compose(
            v ->
                app == null
                    ? Future.<Void>succeededFuture()
                    : app.stop().recover(e -> Future.succeededFuture()))
        .compose(
            v ->
                adminServer == null
                    ? Future.<Void>succeededFuture()
                    : adminServer.close().recover(e -> Future.succeededFuture()))
        .onComplete(
            ar -> {
              keys.forEach(X25519KeyPair::destroy);
              finished.complete();
            });
    return done;
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      // nothing left to release that matters at shutdown
    }
  }
}
