package org.sealpost.relay;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.sealpost.relay.config.RelayConfig;
import org.sealpost.relay.config.RelayConfigLoader;

/** Shared set-up for tests that run a relay on 127.0.0.1 with ephemeral ports. */
final class RelayTestSupport {
  static final int B = RelayConfig.DEFAULT_BLOCK_SIZE;

  private RelayTestSupport() {}

  /** A config bound to 127.0.0.1, ports 0, two event loops, plus the given overrides. */
  static RelayConfig config(Path dataDir, String... keyValues) {
    Map<String, String> settings = new HashMap<>();
    settings.put("data-dir", dataDir.toString());
    settings.put("listen.host", "127.0.0.1");
    settings.put("listen.port", "0");
    settings.put("admin.port", "0");
    settings.put("public-host", "127.0.0.1");
    settings.put("event-loops", "2");
    settings.put("shutdown.grace", "5s");
    for (int i = 0; i < keyValues.length; i += 2) {
      settings.put(keyValues[i], keyValues[i + 1]);
    }
    return RelayConfigLoader.fromSettings(settings);
  }

  static RunningRelay start(Vertx vertx, RelayConfig config, RelayApplication app)
      throws Exception {
    return await(RelayServer.start(vertx, config, app));
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /**
   * A client that accepts any certificate (the Noise session authenticates the relay later). Keep a
   * strong reference: Vert.x closes a WebSocketClient, with its connections, once it is garbage.
   */
  static WebSocketClient client(Vertx vertx, boolean tls) {
    WebSocketClientOptions options = new WebSocketClientOptions().setMaxFrameSize(65536);
    if (tls) {
      options
          .setSsl(true)
          .setTrustAll(true)
          .setVerifyHost(false)
          .setEnabledSecureTransportProtocols(Set.of("TLSv1.3"));
    }
    return vertx.createWebSocketClient(options);
  }

  static Future<WebSocket> connect(WebSocketClient client, int port, String path) {
    return client.connect(
        new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(path));
  }

  /** A block of exactly B bytes whose content identifies it. */
  static Buffer block(int n) {
    return block(n, B);
  }

  /** A recognisable block of {@code size} bytes. */
  static Buffer block(int n, int size) {
    Buffer b = Buffer.buffer(size);
    for (int i = 0; i < size; i++) {
      b.appendByte((byte) (n * 31 + i));
    }
    return b;
  }

  /** The value of a counter or gauge in the relay's Prometheus registry (0 when absent). */
  static double meter(RunningRelay relay, String name, String... tags) {
    var search = relay.meterRegistry().find(name).tags(tags);
    if (search.counter() != null) {
      return search.counter().count();
    }
    if (search.gauge() != null) {
      return search.gauge().value();
    }
    return 0;
  }
}
