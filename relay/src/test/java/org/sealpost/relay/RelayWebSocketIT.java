package org.sealpost.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sealpost.relay.RelayTestSupport.B;
import static org.sealpost.relay.RelayTestSupport.await;
import static org.sealpost.relay.RelayTestSupport.block;
import static org.sealpost.relay.RelayTestSupport.client;
import static org.sealpost.relay.RelayTestSupport.config;
import static org.sealpost.relay.RelayTestSupport.connect;
import static org.sealpost.relay.RelayTestSupport.meter;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.junit5.VertxExtension;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.relay.metrics.RelayMetrics;

@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RelayWebSocketIT {
  @TempDir Path dataDir;
  private final EchoApplication app = new EchoApplication();
  private RunningRelay relay;
  // held in a field: Vert.x closes a WebSocketClient that becomes unreachable, connections and all
  private WebSocketClient client;

  private WebSocket open(Vertx vertx, boolean tls) throws Exception {
    client = client(vertx, tls);
    return await(connect(client, relay.port(), "/v1"));
  }

  @AfterEach
  void closeRelay() throws Exception {
    if (relay != null) {
      await(relay.close());
    }
  }

  /** Completes with the close status code the client saw. */
  private static CompletableFuture<Short> closed(WebSocket ws) {
    CompletableFuture<Short> code = new CompletableFuture<>();
    ws.closeHandler(v -> code.complete(ws.closeStatusCode()));
    return code;
  }

  private static List<Buffer> echoes(WebSocket ws, int expected, CompletableFuture<Void> all) {
    List<Buffer> got = new CopyOnWriteArrayList<>();
    ws.binaryMessageHandler(
        b -> {
          got.add(b);
          if (got.size() == expected) {
            all.complete(null);
          }
        });
    return got;
  }

  @Test
  void blocksAreEchoedInOrderOverTls13WithTheGeneratedCertificate(Vertx vertx) throws Exception {
    relay = RelayTestSupport.start(vertx, config(dataDir), app);
    WebSocket ws = open(vertx, true);
    assertThat(ws.isSsl()).isTrue();

    CompletableFuture<Void> all = new CompletableFuture<>();
    List<Buffer> got = echoes(ws, 5, all);
    for (int i = 0; i < 5; i++) {
      ws.writeFinalBinaryFrame(block(i));
    }
    all.get(20, TimeUnit.SECONDS);
    for (int i = 0; i < 5; i++) {
      assertThat(got.get(i)).isEqualTo(block(i));
    }
    assertThat(meter(relay, RelayMetrics.BLOCKS_IN)).isEqualTo(5);
    assertThat(meter(relay, RelayMetrics.BLOCKS_OUT)).isEqualTo(5);
    assertThat(meter(relay, RelayMetrics.CONNECTIONS_ACCEPTED)).isEqualTo(1);
    assertThat(meter(relay, RelayMetrics.CONNECTIONS_OPEN)).isEqualTo(1);
    assertThat(meter(relay, RelayMetrics.HANDSHAKES, "outcome", "completed")).isEqualTo(1);
    assertThat(relay.relayAddress())
        .startsWith("sealpost://")
        .endsWith("@127.0.0.1:" + relay.port());
  }

  @Test
  void onlyTls13IsAccepted(Vertx vertx) throws Exception {
    relay = RelayTestSupport.start(vertx, config(dataDir), app);
    try (SSLSocket s = trustAllSocket(relay.port(), "TLSv1.3")) {
      s.startHandshake();
      assertThat(s.getSession().getProtocol()).isEqualTo("TLSv1.3");
    }
    try (SSLSocket s = trustAllSocket(relay.port(), "TLSv1.2")) {
      assertThatThrownBy(s::startHandshake).isInstanceOf(javax.net.ssl.SSLException.class);
    }
  }

  private static SSLSocket trustAllSocket(int port, String protocol) throws Exception {
    javax.net.ssl.X509TrustManager trustAll =
        new javax.net.ssl.X509TrustManager() {
          @Override
          public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String a) {}

          @Override
          public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String a) {}

          @Override
          public java.security.cert.X509Certificate[] getAcceptedIssuers() {
            return new java.security.cert.X509Certificate[0];
          }
        };
    javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
    tls.init(null, new javax.net.ssl.TrustManager[] {trustAll}, null);
    SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port);
    s.setEnabledProtocols(new String[] {protocol});
    s.setSoTimeout(20_000);
    return s;
  }

  @Test
  void plainWebSocketModeServesWithoutTls(Vertx vertx) throws Exception {
    relay = RelayTestSupport.start(vertx, config(dataDir, "tls.enabled", "false"), app);
    WebSocket ws = open(vertx, false);
    assertThat(ws.isSsl()).isFalse();
    CompletableFuture<Void> all = new CompletableFuture<>();
    List<Buffer> got = echoes(ws, 1, all);
    ws.writeFinalBinaryFrame(block(7));
    all.get(20, TimeUnit.SECONDS);
    assertThat(got.get(0)).isEqualTo(block(7));
    assertThat(dataDir.resolve("tls-cert.pem")).doesNotExist();
  }

  @Test
  void otherPathsAndPlainHttpAreRejected(Vertx vertx) throws Exception {
    relay = RelayTestSupport.start(vertx, config(dataDir), app);
    client = client(vertx, true);
    assertThatThrownBy(() -> await(connect(client, relay.port(), "/v2")))
        .hasMessageContaining("404");
    assertThatThrownBy(() -> await(connect(client, relay.port(), "/"))).hasMessageContaining("404");
    assertThat(meter(relay, RelayMetrics.UPGRADES_REJECTED, "reason", "wrong_path")).isEqualTo(2);
    assertThat(meter(relay, RelayMetrics.CONNECTIONS_ACCEPTED)).isZero();

    var http =
        vertx.createHttpClient(
            new io.vertx.core.http.HttpClientOptions()
                .setSsl(true)
                .setTrustAll(true)
                .setVerifyHost(false));
    int status =
        await(
            http.request(io.vertx.core.http.HttpMethod.GET, relay.port(), "127.0.0.1", "/v1")
                .compose(req -> req.send())
                .map(io.vertx.core.http.HttpClientResponse::statusCode));
    assertThat(status).isEqualTo(404);
    assertThat(meter(relay, RelayMetrics.UPGRADES_REJECTED, "reason", "not_websocket"))
        .isEqualTo(1);
  }

  @Test
  void aTextFrameClosesTheConnection(Vertx vertx) throws Exception {
    relay = RelayTestSupport.start(vertx, config(dataDir), app);
    WebSocket ws = open(vertx, true);
    CompletableFuture<Short> code = closed(ws);
    ws.writeFinalTextFrame("hello");
    assertThat(code.get(20, TimeUnit.SECONDS)).isEqualTo((short) 1008);
    assertClosedFor("protocol_violation");
  }

  @Test
  void aShortMessageClosesTheConnection(Vertx vertx) throws Exception {
    relay = RelayTestSupport.start(vertx, config(dataDir), app);
    WebSocket ws = open(vertx, true);
    CompletableFuture<Short> code = closed(ws);
    ws.writeFinalBinaryFrame(Buffer.buffer(new byte[B - 1]));
    assertThat(code.get(20, TimeUnit.SECONDS)).isEqualTo((short) 1008);
    assertClosedFor("protocol_violation");
    assertThat(meter(relay, RelayMetrics.BLOCKS_IN)).isZero();
  }

  @Test
  void anOversizedMessageClosesTheConnection(Vertx vertx) throws Exception {
    relay = RelayTestSupport.start(vertx, config(dataDir), app);
    WebSocket ws = open(vertx, true);
    CompletableFuture<Short> code = closed(ws);
    ws.writeFinalBinaryFrame(Buffer.buffer(new byte[B + 1]));
    // Netty's decoder refuses the frame before it reaches the relay and closes the connection
    assertThat(code.get(20, TimeUnit.SECONDS)).isNotNull();
    app.firstClose.get(20, TimeUnit.SECONDS);
    assertThat(meter(relay, RelayMetrics.BLOCKS_IN)).isZero();
  }

  @Test
  void aFragmentedMessageClosesTheConnection(Vertx vertx) throws Exception {
    relay = RelayTestSupport.start(vertx, config(dataDir), app);
    WebSocket ws = open(vertx, true);
    CompletableFuture<Short> code = closed(ws);
    ws.writeFrame(
        io.vertx.core.http.WebSocketFrame.binaryFrame(Buffer.buffer(new byte[B / 2]), false));
    ws.writeFrame(
        io.vertx.core.http.WebSocketFrame.continuationFrame(
            Buffer.buffer(new byte[B - B / 2]), true));
    assertThat(code.get(20, TimeUnit.SECONDS)).isEqualTo((short) 1008);
    assertClosedFor("protocol_violation");
  }

  @Test
  void aSilentWebSocketIsDroppedAtTheHandshakeDeadline(Vertx vertx) throws Exception {
    relay =
        RelayTestSupport.start(
            vertx, config(dataDir, "connection.handshake-deadline", "300ms"), app);
    WebSocket ws = open(vertx, true);
    assertThat(closed(ws).get(20, TimeUnit.SECONDS)).isEqualTo((short) 1008);
    assertClosedFor("handshake_timeout");
    assertThat(meter(relay, RelayMetrics.HANDSHAKES, "outcome", "timeout")).isEqualTo(1);
  }

  @Test
  void aSilentTcpConnectionIsCutAtTheHandshakeDeadline(Vertx vertx) throws Exception {
    relay =
        RelayTestSupport.start(
            vertx, config(dataDir, "connection.handshake-deadline", "300ms"), app);
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", relay.port()));
      s.setSoTimeout(20_000);
      InputStream in = s.getInputStream();
      // nothing was sent, so the relay has nothing to say: the next read sees the close
      int read;
      try {
        read = in.read();
      } catch (java.net.SocketException reset) {
        read = -1;
      }
      assertThat(read).isEqualTo(-1);
    }
  }

  @Test
  void aConnectionThatStopsSendingIsDroppedAtTheIdleTimeout(Vertx vertx) throws Exception {
    relay = RelayTestSupport.start(vertx, config(dataDir, "connection.idle-timeout", "300ms"), app);
    WebSocket ws = open(vertx, true);
    CompletableFuture<Short> code = closed(ws);
    CompletableFuture<Void> echoed = new CompletableFuture<>();
    echoes(ws, 1, echoed);
    ws.writeFinalBinaryFrame(block(1));
    echoed.get(20, TimeUnit.SECONDS);
    assertThat(code.get(20, TimeUnit.SECONDS)).isEqualTo((short) 1000);
    assertClosedFor("idle_timeout");
    assertThat(meter(relay, RelayMetrics.HANDSHAKES, "outcome", "completed")).isEqualTo(1);
  }

  @Test
  void aPortInUseIsAClearStartupError(Vertx vertx) throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      String port = String.valueOf(taken.getLocalPort());
      assertThatThrownBy(
              () -> RelayTestSupport.start(vertx, config(dataDir, "listen.port", port), app))
          .isInstanceOf(java.util.concurrent.ExecutionException.class)
          .cause()
          .isInstanceOfSatisfying(
              RelayStartupException.class,
              e -> assertThat(e.error()).isEqualTo(StartupError.LISTEN))
          .hasMessageContaining("127.0.0.1:" + port);
      // what was started is stopped again
      assertThat(app.events).containsExactly("start", "stop");
    }
  }

  @Test
  void theListenerBindsOnlyOnceWhatComesBeforeListeningHasSucceeded(Vertx vertx) throws Exception {
    int port = freePort();
    io.vertx.core.Promise<Void> gate = io.vertx.core.Promise.promise();
    io.vertx.core.Future<RunningRelay> starting = startAfter(vertx, port, gate.future());
    while (!app.events.contains("start")) {
      Thread.sleep(10);
    }
    Thread.sleep(200);
    assertThat(starting.isComplete()).isFalse();
    assertThatThrownBy(() -> new Socket("127.0.0.1", port).close())
        .isInstanceOf(java.net.ConnectException.class);
    gate.complete();
    relay = await(starting);
    assertThat(relay.port()).isEqualTo(port);
    new Socket("127.0.0.1", port).close();
  }

  @Test
  void aFailureBeforeListeningFailsTheStartAndStopsWhatStarted(Vertx vertx) throws Exception {
    int port = freePort();
    io.vertx.core.Future<RunningRelay> starting =
        startAfter(
            vertx,
            port,
            io.vertx.core.Future.failedFuture(
                new RelayStartupException(StartupError.CRYPTO_SELF_TEST, "self-test failed")));
    assertThatThrownBy(() -> await(starting))
        .cause()
        .isInstanceOfSatisfying(
            RelayStartupException.class,
            e -> assertThat(e.error()).isEqualTo(StartupError.CRYPTO_SELF_TEST));
    assertThat(app.events).containsExactly("start", "stop");
    assertThatThrownBy(() -> new Socket("127.0.0.1", port).close())
        .isInstanceOf(java.net.ConnectException.class);
  }

  private io.vertx.core.Future<RunningRelay> startAfter(
      Vertx vertx, int port, io.vertx.core.Future<?> beforeListening) {
    return RelayServer.start(
        vertx,
        config(dataDir, "listen.port", String.valueOf(port)),
        app,
        new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
            io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT),
        beforeListening);
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  private void assertClosedFor(String reason) throws Exception {
    // the relay counts the close before it tells the handler
    assertThat(app.firstClose.get(20, TimeUnit.SECONDS).tag()).isEqualTo(reason);
    assertThat(meter(relay, RelayMetrics.CONNECTIONS_CLOSED, "reason", reason)).isEqualTo(1);
  }
}
