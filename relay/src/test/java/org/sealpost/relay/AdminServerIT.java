package org.sealpost.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sealpost.relay.RelayTestSupport.await;
import static org.sealpost.relay.RelayTestSupport.block;
import static org.sealpost.relay.RelayTestSupport.client;
import static org.sealpost.relay.RelayTestSupport.config;
import static org.sealpost.relay.RelayTestSupport.connect;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.relay.metrics.RelayMetrics;

@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AdminServerIT {
  @TempDir Path dataDir;
  private final EchoApplication app = new EchoApplication();
  private RunningRelay relay;
  private WebSocketClient client;

  @AfterEach
  void closeRelay() throws Exception {
    if (relay != null) {
      await(relay.close());
    }
  }

  record Response(int status, String contentType, String body) {}

  private Response get(String path) throws IOException {
    return request("GET", path);
  }

  private Response request(String method, String path) throws IOException {
    HttpURLConnection c =
        (HttpURLConnection)
            new URL("http://127.0.0.1:" + relay.adminPort() + path).openConnection();
    c.setRequestMethod(method);
    c.setConnectTimeout(10_000);
    c.setReadTimeout(10_000);
    int status = c.getResponseCode();
    byte[] body =
        (status < 400 ? c.getInputStream() : c.getErrorStream()) == null
            ? new byte[0]
            : (status < 400 ? c.getInputStream() : c.getErrorStream()).readAllBytes();
    return new Response(status, c.getContentType(), new String(body, StandardCharsets.UTF_8));
  }

  @Test
  void metricsHealthAndReadinessAreServedOnLoopback(Vertx vertx) throws Exception {
    relay = RelayTestSupport.start(vertx, config(dataDir), app);
    client = client(vertx, true);
    WebSocket ws = await(connect(client, relay.port(), "/v1"));
    CompletableFuture<Void> echoed = new CompletableFuture<>();
    ws.binaryMessageHandler(b -> echoed.complete(null));
    ws.writeFinalBinaryFrame(block(1));
    echoed.get(20, TimeUnit.SECONDS);

    Response metrics = get("/metrics");
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.contentType()).startsWith("text/plain");
    assertThat(metrics.body())
        .contains("sealpost_connections_open 1.0")
        .contains("sealpost_connections_accepted_total 1.0")
        .contains("sealpost_blocks_in_total 1.0")
        .contains("sealpost_blocks_out_total 1.0")
        .contains("sealpost_handshakes_total{outcome=\"completed\"} 1.0")
        .contains("sealpost_connections_closed_total{reason=\"slow_reader\"} 0.0")
        // aggregate only: no client address anywhere
        .doesNotContain("127.0.0.1");

    assertThat(get("/health").status()).isEqualTo(200);
    assertThat(get("/ready").status()).isEqualTo(200);
    app.ready = false;
    assertThat(get("/ready").status()).isEqualTo(503);
    assertThat(get("/health").status()).isEqualTo(200);
    assertThat(get("/nothing").status()).isEqualTo(404);
    assertThat(request("POST", "/metrics").status()).isEqualTo(405);
    assertThat(relay.meterRegistry().find(RelayMetrics.BLOCKS_IN).counter()).isNotNull();
  }

  @Test
  void theAdminPortIsNotReachableOnANonLoopbackAddress(Vertx vertx) throws Exception {
    relay = RelayTestSupport.start(vertx, config(dataDir), app);
    assertThat(InetAddress.getByName(relay.config().adminHost()).isLoopbackAddress()).isTrue();
    List<InetAddress> external =
        Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
            .flatMap(NetworkInterface::inetAddresses)
            .filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress())
            .filter(a -> a instanceof Inet4Address)
            .collect(Collectors.toList());
    for (InetAddress address : external) {
      try (Socket s = new Socket()) {
        assertThatThrownBy(
                () -> s.connect(new InetSocketAddress(address, relay.adminPort()), 5_000))
            .as("admin port on %s", address)
            .isInstanceOf(IOException.class);
      }
    }
    // the same port answers on loopback, so the refusals above are about the address
    assertThat(get("/health").status()).isEqualTo(200);
  }

  @Test
  void readinessTurnsOffWhenShutdownBegins(Vertx vertx) throws Exception {
    relay = RelayTestSupport.start(vertx, config(dataDir), app);
    assertThat(relay.ready()).isTrue();
    var closing = relay.close();
    assertThat(relay.ready()).isFalse();
    await(closing);
    relay = null;
  }
}
