package org.sealpost.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sealpost.relay.RelayTestSupport.await;
import static org.sealpost.relay.RelayTestSupport.client;
import static org.sealpost.relay.RelayTestSupport.config;
import static org.sealpost.relay.RelayTestSupport.connect;
import static org.sealpost.relay.RelayTestSupport.meter;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.junit5.VertxExtension;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.relay.metrics.RelayMetrics;

/**
 * {@code connection.max-handshakes} (issue 13): over real TLS sockets, connections beyond the bound
 * wait without starting their TLS handshake and start as places free.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HandshakeAdmissionIT {
  @TempDir Path dataDir;
  private RunningRelay relay;
  private WebSocketClient client; // a field: Vert.x closes a client that becomes unreachable

  @AfterEach
  void closeRelay() throws Exception {
    if (relay != null) {
      await(relay.close());
    }
  }

  private void start(Vertx vertx, String maxHandshakes, String deadline) throws Exception {
    relay =
        RelayTestSupport.start(
            vertx,
            config(
                dataDir,
                "connection.max-handshakes",
                maxHandshakes,
                "connection.handshake-deadline",
                deadline),
            new EchoApplication());
    client = client(vertx, true);
  }

  private double handshaking() {
    return meter(relay, RelayMetrics.HANDSHAKES_IN_PROGRESS);
  }

  private double waiting() {
    return meter(relay, RelayMetrics.HANDSHAKES_WAITING);
  }

  private static void until(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not reached: " + what);
      }
      Thread.sleep(10);
    }
  }

  @Test
  void connectionsBeyondTheBoundWaitAndStartAsPlacesFree(Vertx vertx) throws Exception {
    start(vertx, "2", "30s");
    // two TCP connections that never send a ClientHello hold both places
    Socket silent1 = new Socket("127.0.0.1", relay.port());
    try (Socket silent2 = new Socket("127.0.0.1", relay.port())) {
      assertThat(silent2.isConnected()).isTrue();
      until("two handshakes in progress", () -> handshaking() == 2);

      Future<WebSocket> third = connect(client, relay.port(), "/v1");
      until("the third connection held", () -> waiting() == 1);
      assertThat(third.isComplete()).isFalse();
      assertThat(handshaking()).isEqualTo(2);

      silent1.close(); // the relay sees the close and frees its place
      WebSocket ws = await(third); // TLS and the WebSocket upgrade, once a place was free
      assertThat(ws.isClosed()).isFalse();
      // its place is given back when its TLS handshake is done; silent2 still holds one
      until("one handshake in progress", () -> handshaking() == 1);
      assertThat(waiting()).isZero();

      WebSocket fourth = await(connect(client, relay.port(), "/v1"));
      assertThat(fourth.isClosed()).isFalse();
      until("two WebSockets open", () -> meter(relay, RelayMetrics.CONNECTIONS_OPEN) == 2);
    }
    until("no handshake in progress", () -> handshaking() == 0);
  }

  /**
   * Connections beyond the bound are accepted and held by the relay, not left in the kernel's
   * accept queue (bounded by net.core.somaxconn; what it cannot take the client's TCP retries only
   * after 1, 3, 7, 15, 31 s), and they start in order as places free.
   */
  @Test
  void connectionsBeyondTheBoundAreAcceptedAndHeldByTheRelay(Vertx vertx) throws Exception {
    start(vertx, "1", "30s");
    List<Socket> silent = new ArrayList<>();
    try {
      for (int i = 0; i < 25; i++) {
        silent.add(new Socket("127.0.0.1", relay.port()));
      }
      until("one handshake in progress", () -> handshaking() == 1);
      until("the other 24 accepted and held", () -> waiting() == 24);
      Future<WebSocket> last = connect(client, relay.port(), "/v1");
      until("the WebSocket client held behind them", () -> waiting() == 25);
      for (Socket s : silent) {
        s.close(); // each frees its place to the next, in order
      }
      WebSocket ws = await(last);
      assertThat(ws.isClosed()).isFalse();
      until("nothing held", () -> waiting() == 0);
    } finally {
      for (Socket s : silent) {
        s.close();
      }
    }
  }

  @Test
  void aSilentConnectionHoldsItsPlaceNoLongerThanTheHandshakeDeadline(Vertx vertx)
      throws Exception {
    start(vertx, "1", "1s");
    try (Socket silent = new Socket("127.0.0.1", relay.port())) {
      until("the silent connection admitted", () -> handshaking() == 1);
      Future<WebSocket> next = connect(client, relay.port(), "/v1");
      until("the next connection held", () -> waiting() == 1);
      // the relay cuts the silent one at its TLS deadline, and the next one starts
      WebSocket ws = await(next);
      assertThat(ws.isClosed()).isFalse();
      assertThat(silent.getInputStream().read()).isEqualTo(-1);
    }
  }

  @Test
  void withoutABoundSilentConnectionsDelayNobody(Vertx vertx) throws Exception {
    start(vertx, "0", "30s");
    try (Socket silent1 = new Socket("127.0.0.1", relay.port());
        Socket silent2 = new Socket("127.0.0.1", relay.port())) {
      assertThat(silent1.isConnected() && silent2.isConnected()).isTrue();
      WebSocket ws = await(connect(client, relay.port(), "/v1"));
      assertThat(ws.isClosed()).isFalse();
      assertThat(handshaking()).isZero();
      assertThat(waiting()).isZero();
    }
  }
}
