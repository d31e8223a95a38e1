package org.sealpost.cli;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.sealpost.proto.address.AddressException;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.proto.address.Transport;
import org.sealpost.relay.RelayApplication;
import org.sealpost.relay.RelayServer;
import org.sealpost.relay.RunningRelay;
import org.sealpost.relay.config.RelayConfig;
import org.sealpost.relay.config.RelayConfigLoader;

/**
 * A relay inside this process, on 127.0.0.1 and a free port, for {@code sealpost demo} and tests.
 * It runs the same application the {@code sealpost relay} command finds ({@link ServiceLoader}).
 */
public final class EmbeddedRelay implements AutoCloseable {
  private final Vertx vertx;
  private final RunningRelay relay;
  private final RelayConfig config;

  private EmbeddedRelay(Vertx vertx, RunningRelay relay, RelayConfig config) {
    this.vertx = vertx;
    this.relay = relay;
    this.config = config;
  }

  /**
   * Starts a relay with its data in {@code dataDir}.
   *
   * @param tls TLS 1.3 with a generated certificate, or plain WebSocket
   * @param extra further settings by config-file key (e.g. {@code queue.quota})
   */
  public static EmbeddedRelay start(Path dataDir, boolean tls, Map<String, String> extra)
      throws InterruptedException {
    Map<String, String> settings = new HashMap<>();
    settings.put("data-dir", dataDir.toString());
    settings.put("listen.host", "127.0.0.1");
    settings.put("listen.port", "0");
    settings.put("public-host", "127.0.0.1");
    settings.put("admin.port", "0");
    settings.put("event-loops", "1");
    settings.put("tls.enabled", Boolean.toString(tls));
    settings.putAll(extra);
    RelayConfig config = RelayConfigLoader.fromSettings(settings);
    RelayApplication application =
        ServiceLoader.load(RelayApplication.class)
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no relay application on the class path"));
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    try {
      RunningRelay relay =
          RelayServer.start(vertx, config, application)
              .toCompletionStage()
              .toCompletableFuture()
              .get(60, TimeUnit.SECONDS);
      return new EmbeddedRelay(vertx, relay, config);
    } catch (ExecutionException | TimeoutException e) {
      vertx.close();
      throw new IllegalStateException("the embedded relay did not start", e);
    }
  }

  /** The relay's listening port. */
  public int port() {
    return relay.port();
  }

  public RelayConfig config() {
    return config;
  }

  public RunningRelay running() {
    return relay;
  }

  /** The relay address of this relay, with the scheme matching its TLS setting. */
  public RelayAddress address() {
    return addressVia(relay.port());
  }

  /** The address of this relay as reached through another port (a proxy in front of it). */
  public RelayAddress addressVia(int port) {
    try {
      return RelayAddress.of(
          config.tlsEnabled() ? Transport.TLS : Transport.PLAIN,
          relay.relayPublicKey(),
          "127.0.0.1",
          port,
          config.blockSize());
    } catch (AddressException e) {
      throw new IllegalStateException("the relay's own address does not format", e);
    }
  }

  @Override
  public void close() {
    try {
      relay.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // closing Vert.x below ends what is left
    }
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // best effort
    }
  }
}
