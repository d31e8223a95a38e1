package org.sealpost.relay;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.sealpost.proto.address.AddressException;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.proto.address.Transport;
import org.sealpost.relay.config.RelayConfig;
import org.sealpost.relay.config.RelayConfigLoader;

/**
 * A relay in this process with a Vert.x instance of its own: the one bootstrap behind the {@code
 * sealpost relay} command, {@code sealpost demo} and the tests. Closing it closes the relay
 * gracefully, then its Vert.x.
 */
public final class EmbeddedRelay implements AutoCloseable {
  private static final Duration CLOSE_BOUND = Duration.ofSeconds(30);

  private final Vertx vertx;
  private final RunningRelay relay;
  private final PrometheusMeterRegistry registry;

  private EmbeddedRelay(Vertx vertx, RunningRelay relay, PrometheusMeterRegistry registry) {
    this.vertx = vertx;
    this.relay = relay;
    this.registry = registry;
  }

  /**
   * Starts a relay on 127.0.0.1 with free ports, one event loop and its data in {@code dataDir},
   * running the application {@link #findApplication()} finds.
   *
   * @param tls TLS 1.3 with a generated certificate, or plain WebSocket
   * @param extra further settings by config-file key (e.g. {@code queue.quota})
   */
  public static EmbeddedRelay start(Path dataDir, boolean tls, Map<String, String> extra)
      throws InterruptedException {
    Map<String, String> settings = loopbackSettings(dataDir);
    settings.put("tls.enabled", Boolean.toString(tls));
    settings.putAll(extra);
    RelayApplication application =
        findApplication()
            .orElseThrow(() -> new IllegalStateException("no relay application on the class path"));
    return start(
        RelayConfigLoader.fromSettings(settings),
        application,
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
        Duration.ofSeconds(60));
  }

  /** Settings for a relay reachable only on 127.0.0.1, on free ports, with one event loop. */
  public static Map<String, String> loopbackSettings(Path dataDir) {
    Map<String, String> settings = new HashMap<>();
    settings.put("data-dir", dataDir.toString());
    settings.put("listen.host", "127.0.0.1");
    settings.put("listen.port", "0");
    settings.put("public-host", "127.0.0.1");
    settings.put("admin.port", "0");
    settings.put("event-loops", "1");
    return settings;
  }

  /** The relay application on the class path ({@link ServiceLoader}), if any. */
  public static Optional<RelayApplication> findApplication() {
    return ServiceLoader.load(RelayApplication.class).findFirst();
  }

  /**
   * Starts a relay with {@code config.eventLoops()} event loops and waits for it.
   *
   * @throws RelayStartupException if it does not start (its Vert.x is closed again)
   * @throws IllegalStateException if it has not started within {@code bound}
   */
  public static EmbeddedRelay start(
      RelayConfig config,
      RelayApplication application,
      PrometheusMeterRegistry registry,
      Duration bound)
      throws InterruptedException {
    return start(config, application, registry, bound, CompletableFuture.completedFuture(null));
  }

  /**
   * As {@link #start(RelayConfig, RelayApplication, PrometheusMeterRegistry, Duration)}, binding
   * the listener only after {@code beforeListening} has succeeded (see {@link RelayServer}).
   */
  public static EmbeddedRelay start(
      RelayConfig config,
      RelayApplication application,
      PrometheusMeterRegistry registry,
      Duration bound,
      CompletionStage<?> beforeListening)
      throws InterruptedException {
    Vertx vertx =
        Vertx.vertx(
            new VertxOptions()
                .setEventLoopPoolSize(config.eventLoops())
                .setPreferNativeTransport(false)
                .setAddressResolverOptions(SystemDns.options()));
    try {
      RunningRelay relay =
          await(
              RelayServer.start(
                  vertx,
                  config,
                  application,
                  registry,
                  Future.fromCompletionStage(beforeListening, vertx.getOrCreateContext())),
              bound.toMillis());
      return new EmbeddedRelay(vertx, relay, registry);
    } catch (ExecutionException e) {
      closeVertx(vertx);
      if (e.getCause() instanceof RelayStartupException startup) {
        throw startup;
      }
      throw new IllegalStateException("the relay did not start", e.getCause());
    } catch (TimeoutException e) {
      closeVertx(vertx);
      throw new IllegalStateException("the relay did not start within " + bound, e);
    } catch (InterruptedException e) {
      closeVertx(vertx);
      throw e;
    }
  }

  /** The relay's listening port. */
  public int port() {
    return relay.port();
  }

  public RelayConfig config() {
    return relay.config();
  }

  public RunningRelay running() {
    return relay;
  }

  public Vertx vertx() {
    return vertx;
  }

  public PrometheusMeterRegistry meterRegistry() {
    return registry;
  }

  /** The relay address of this relay on 127.0.0.1, with the scheme matching its TLS setting. */
  public RelayAddress address() {
    return addressVia(relay.port());
  }

  /** The address of this relay as reached through another port (a proxy in front of it). */
  public RelayAddress addressVia(int port) {
    try {
      return RelayAddress.of(
          relay.config().tlsEnabled() ? Transport.TLS : Transport.PLAIN,
          relay.relayPublicKey(),
          "127.0.0.1",
          port,
          relay.config().blockSize());
    } catch (AddressException e) {
      throw new IllegalStateException("the relay's own address does not format", e);
    }
  }

  /**
   * Closes the relay gracefully within {@code bound}, then its Vert.x.
   *
   * @return whether the relay's shutdown finished cleanly within the bound
   */
  public boolean close(Duration bound) {
    boolean clean = false;
    try {
      await(relay.close(), bound.toMillis());
      clean = true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // closing Vert.x below ends what is left
    }
    closeVertx(vertx);
    return clean;
  }

  @Override
  public void close() {
    close(CLOSE_BOUND);
  }

  private static <T> T await(Future<T> future, long millis)
      throws InterruptedException, ExecutionException, TimeoutException {
    return future.toCompletionStage().toCompletableFuture().get(millis, TimeUnit.MILLISECONDS);
  }

  private static void closeVertx(Vertx vertx) {
    try {
      await(vertx.close(), CLOSE_BOUND.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // best effort: the process is leaving or the test is over
    }
  }
}
