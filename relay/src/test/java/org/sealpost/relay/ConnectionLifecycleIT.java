package org.sealpost.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sealpost.relay.RelayTestSupport.await;
import static org.sealpost.relay.RelayTestSupport.block;
import static org.sealpost.relay.RelayTestSupport.client;
import static org.sealpost.relay.RelayTestSupport.config;
import static org.sealpost.relay.RelayTestSupport.connect;
import static org.sealpost.relay.RelayTestSupport.meter;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.junit5.VertxExtension;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.relay.metrics.RelayMetrics;
import org.sealpost.relay.transport.CloseReason;

/**
 * How connections end, with real sockets: deadlines from the TCP accept, the grace after a close
 * frame, the write-stall timeout, and the reason each kind of end is counted under.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ConnectionLifecycleIT {
  @TempDir Path dataDir;
  private final EchoApplication app = new EchoApplication();
  private RunningRelay relay;
  // held in a field: Vert.x closes a WebSocketClient that becomes unreachable
  private WebSocketClient client;

  @AfterEach
  void closeRelay() throws Exception {
    if (relay != null) {
      await(relay.close());
    }
  }

  @Test
  void theHandshakeDeadlineRunsFromTheTcpAcceptNotFromTheUpgrade(Vertx vertx) throws Exception {
    relay =
        RelayTestSupport.start(
            vertx,
            config(dataDir, "tls.enabled", "false", "connection.handshake-deadline", "2s"),
            app);
    try (RawWebSocketClient raw = new RawWebSocketClient(relay.port(), 0)) {
      long start = System.nanoTime();
      // a client that spends most of the deadline before its upgrade, then stays silent
      String request = RawWebSocketClient.UPGRADE;
      raw.sendText(request.substring(0, 10));
      Thread.sleep(1500);
      raw.sendText(request.substring(10));
      assertThat(raw.readHead()).startsWith("HTTP/1.1 101");
      assertThat(raw.readUntilCloseFrame()).isEqualTo(1008);
      long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
      // from the upgrade it would be 1.5 s + 2 s
      assertThat(elapsedMillis).isBetween(1900L, 3000L);
    }
    assertThat(app.firstClose.get(20, TimeUnit.SECONDS)).isEqualTo(CloseReason.HANDSHAKE_TIMEOUT);
    assertThat(meter(relay, RelayMetrics.HANDSHAKES, "outcome", "timeout")).isEqualTo(1);
  }

  @Test
  void aClientThatNeverAnswersTheCloseFrameIsCutAfterAShortGrace(Vertx vertx) throws Exception {
    relay =
        RelayTestSupport.start(
            vertx,
            config(dataDir, "tls.enabled", "false", "connection.handshake-deadline", "500ms"),
            app);
    try (RawWebSocketClient raw = new RawWebSocketClient(relay.port(), 0)) {
      assertThat(raw.upgrade()).startsWith("HTTP/1.1 101");
      long start = System.nanoTime();
      raw.readToEnd(); // reads the close frame at the deadline, never answers it
      long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
      assertThat(elapsedMillis).isLessThan(500 + 1000 + 1000);
    }
    assertThat(app.firstClose.get(20, TimeUnit.SECONDS)).isEqualTo(CloseReason.HANDSHAKE_TIMEOUT);
    assertThat(meter(relay, RelayMetrics.CONNECTIONS_OPEN)).isZero();
  }

  @Test
  void aClientThatKeepsSendingButNeverReadsIsCutAfterTheWriteStallTimeout(Vertx vertx)
      throws Exception {
    relay =
        RelayTestSupport.start(
            vertx,
            config(
                dataDir,
                "tls.enabled",
                "false",
                "connection.write-stall-timeout",
                "1s",
                "connection.idle-timeout",
                "5m"),
            app);
    try (RawWebSocketClient raw = new RawWebSocketClient(relay.port(), 4096)) {
      assertThat(raw.upgrade()).startsWith("HTTP/1.1 101");
      Thread sender = keepSending(raw);
      assertThat(app.firstClose.get(60, TimeUnit.SECONDS)).isEqualTo(CloseReason.WRITE_STALLED);
      sender.join(30_000);
      assertThat(sender.isAlive()).isFalse();
    }
    assertThat(meter(relay, RelayMetrics.CONNECTIONS_CLOSED, "reason", "write_stalled"))
        .isEqualTo(1);
    assertThat(meter(relay, RelayMetrics.READ_PAUSES, "cause", "outbound")).isPositive();
    assertThat(meter(relay, RelayMetrics.CONNECTIONS_OPEN)).isZero();
    assertThat(meter(relay, RelayMetrics.BUFFERED_BYTES)).isZero();
  }

  @Test
  void whileTheRelayDoesNotReadAConnectionItsSilenceIsNotIdleness(Vertx vertx) throws Exception {
    // issue 16: reading paused (here for unread output; under budget pressure for every
    // connection) used to let the idle timer cut clients whose blocks were waiting, unread
    relay =
        RelayTestSupport.start(
            vertx,
            config(
                dataDir,
                "tls.enabled",
                "false",
                "connection.write-stall-timeout",
                "5m",
                "connection.idle-timeout",
                "1s"),
            app);
    try (RawWebSocketClient raw = new RawWebSocketClient(relay.port(), 4096)) {
      assertThat(raw.upgrade()).startsWith("HTTP/1.1 101");
      keepSending(raw);
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (meter(relay, RelayMetrics.READ_PAUSES, "cause", "outbound") < 1
          && System.nanoTime() < until) {
        Thread.sleep(20);
      }
      assertThat(meter(relay, RelayMetrics.READ_PAUSES, "cause", "outbound")).isPositive();
      // four idle timeouts later the connection is still open
      Thread.sleep(4000);
      assertThat(app.firstClose).isNotDone();
      assertThat(meter(relay, RelayMetrics.CONNECTIONS_OPEN)).isEqualTo(1);
    }
    assertThat(app.firstClose.get(20, TimeUnit.SECONDS)).isEqualTo(CloseReason.CLIENT_CLOSED);
  }

  /** Sends blocks (pings, as far as the relay can tell) until the relay cuts the connection. */
  static Thread keepSending(RawWebSocketClient raw) {
    Thread t =
        new Thread(
            () -> {
              byte[] ping = block(7).getBytes();
              try {
                for (int i = 0; i < 100_000; i++) {
                  raw.sendBinary(ping);
                }
              } catch (java.io.IOException cut) {
                // the relay cut the connection
              }
            },
            "stalled-reader");
    t.setDaemon(true);
    t.start();
    return t;
  }

  @Test
  void aCloseByTheClientIsCountedAsClientClosed(Vertx vertx) throws Exception {
    relay = RelayTestSupport.start(vertx, config(dataDir), app);
    client = client(vertx, true);
    WebSocket ws = await(connect(client, relay.port(), "/v1"));
    CompletableFuture<Void> echoed = new CompletableFuture<>();
    ws.binaryMessageHandler(b -> echoed.complete(null));
    ws.writeFinalBinaryFrame(block(1));
    echoed.get(20, TimeUnit.SECONDS);
    await(ws.close());
    assertThat(app.firstClose.get(20, TimeUnit.SECONDS)).isEqualTo(CloseReason.CLIENT_CLOSED);
    assertThat(meter(relay, RelayMetrics.CONNECTIONS_CLOSED, "reason", "client_closed"))
        .isEqualTo(1);
    assertThat(meter(relay, RelayMetrics.CONNECTIONS_CLOSED, "reason", "shutdown")).isZero();
  }

  @Test
  void aTcpCloseByTheClientIsCountedAsClientClosed(Vertx vertx) throws Exception {
    relay = RelayTestSupport.start(vertx, config(dataDir, "tls.enabled", "false"), app);
    try (RawWebSocketClient raw = new RawWebSocketClient(relay.port(), 0)) {
      assertThat(raw.upgrade()).startsWith("HTTP/1.1 101");
      raw.sendBinary(block(2).getBytes());
    }
    assertThat(app.firstClose.get(20, TimeUnit.SECONDS)).isEqualTo(CloseReason.CLIENT_CLOSED);
    assertThat(meter(relay, RelayMetrics.CONNECTIONS_CLOSED, "reason", "client_closed"))
        .isEqualTo(1);
  }

  @Test
  void aRelayShutdownIsCountedAsShutdown(Vertx vertx) throws Exception {
    relay = RelayTestSupport.start(vertx, config(dataDir), app);
    client = client(vertx, true);
    WebSocket ws = await(connect(client, relay.port(), "/v1"));
    CompletableFuture<Short> closed = new CompletableFuture<>();
    ws.closeHandler(v -> closed.complete(ws.closeStatusCode()));
    RunningRelay running = relay;
    relay = null;
    await(running.close());
    assertThat(closed.get(20, TimeUnit.SECONDS)).isEqualTo((short) 1001);
    assertThat(app.firstClose.get(20, TimeUnit.SECONDS)).isEqualTo(CloseReason.SHUTDOWN);
    assertThat(meter(running, RelayMetrics.CONNECTIONS_CLOSED, "reason", "shutdown")).isEqualTo(1);
  }

  @Test
  void connectionsCutBeforeTheUpgradeAreCountedByReason(Vertx vertx) throws Exception {
    relay =
        RelayTestSupport.start(
            vertx, config(dataDir, "connection.handshake-deadline", "500ms"), app);
    // silent: no TLS handshake within the deadline
    try (Socket s = new Socket("127.0.0.1", relay.port())) {
      s.setSoTimeout(20_000);
      assertThat(readToEnd(s)).isTrue();
    }
    // not TLS at all
    try (Socket s = new Socket("127.0.0.1", relay.port())) {
      s.setSoTimeout(20_000);
      s.getOutputStream().write("GET /v1 HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(readToEnd(s)).isTrue();
    }
    awaitMeter(RelayMetrics.UPGRADES_REJECTED, "tls_failed", 2);
    assertThat(meter(relay, RelayMetrics.CONNECTIONS_ACCEPTED)).isZero();
  }

  @Test
  void plainConnectionsCutBeforeTheUpgradeAreCountedByReason(Vertx vertx) throws Exception {
    relay =
        RelayTestSupport.start(
            vertx,
            config(dataDir, "tls.enabled", "false", "connection.handshake-deadline", "500ms"),
            app);
    try (Socket s = new Socket("127.0.0.1", relay.port())) {
      s.setSoTimeout(20_000);
      s.getOutputStream().write("GET /v1 HT".getBytes(StandardCharsets.US_ASCII));
      assertThat(readToEnd(s)).isTrue();
    }
    awaitMeter(RelayMetrics.UPGRADES_REJECTED, "timeout", 1);
    try (Socket s = new Socket("127.0.0.1", relay.port())) {
      s.setSoTimeout(20_000);
      s.getOutputStream()
          .write("GET /v1 HTTP/1.1\r\nBad Header\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(readToEnd(s)).isTrue();
    }
    awaitMeter(RelayMetrics.UPGRADES_REJECTED, "invalid_request", 1);
    assertThat(meter(relay, RelayMetrics.CONNECTIONS_ACCEPTED)).isZero();
  }

  private static boolean readToEnd(Socket s) throws java.io.IOException {
    try {
      while (s.getInputStream().read() >= 0) {
        // discard
      }
    } catch (java.net.SocketException reset) {
      // cut
    }
    return true;
  }

  private void awaitMeter(String name, String reason, double expected) throws Exception {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (meter(relay, name, "reason", reason) < expected && System.nanoTime() < until) {
      Thread.sleep(20);
    }
    assertThat(meter(relay, name, "reason", reason)).isEqualTo(expected);
  }
}
