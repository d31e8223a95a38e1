package org.sealpost.relay;

import static org.assertj.core.api.Assertions.assertThat;
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
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.relay.metrics.RelayMetrics;
import org.sealpost.relay.transport.CloseReason;
import org.sealpost.relay.transport.Session;
import org.sealpost.relay.transport.SessionHandler;

/** Per-connection bounds: outbound buffer, commands in flight, graceful shutdown. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectionLimitsIT {
  @TempDir Path dataDir;
  private RunningRelay relay;
  // held in a field: Vert.x closes a WebSocketClient that becomes unreachable
  private WebSocketClient client;

  @AfterEach
  void closeRelay() throws Exception {
    if (relay != null) {
      await(relay.close());
    }
  }

  private WebSocket open(Vertx vertx) throws Exception {
    client = client(vertx, true);
    return await(connect(client, relay.port(), "/v1"));
  }

  /** Pushes blocks at a client without looking at writability, like pushes from other sessions. */
  static final class FloodApplication extends EchoApplication {
    final AtomicInteger maxPending = new AtomicInteger();
    final AtomicInteger accepted = new AtomicInteger();
    final CompletableFuture<Void> refused = new CompletableFuture<>();

    @Override
    protected SessionHandler handler(Session session) {
      SessionHandler echo = super.handler(session);
      return new SessionHandler() {
        @Override
        public void onBlock(Buffer block) {
          session.handshakeCompleted();
          Vertx vertx = session.context().owner();
          vertx.setPeriodic(
              1,
              id -> {
                for (int i = 0; i < 8; i++) {
                  if (!session.send(block(i))) {
                    refused.complete(null);
                    vertx.cancelTimer(id);
                    return;
                  }
                  accepted.incrementAndGet();
                  maxPending.accumulateAndGet(session.pendingOutboundBlocks(), Math::max);
                }
              });
        }

        @Override
        public void onClose(CloseReason reason) {
          echo.onClose(reason);
        }
      };
    }
  }

  @Test
  void aStalledReaderIsDroppedBeforeItsBufferPassesTheBound(Vertx vertx) throws Exception {
    FloodApplication app = new FloodApplication();
    relay =
        RelayTestSupport.start(
            vertx,
            config(dataDir, "connection.max-outbound-blocks", "8", "tls.enabled", "false"),
            app);
    // a hand-written WebSocket client that sends one block and then never reads again
    try (Socket s = new Socket("127.0.0.1", relay.port())) {
      OutputStream out = s.getOutputStream();
      out.write(
          ("GET /v1 HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                  + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                  + "Sec-WebSocket-Version: 13\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      String head = readHead(in);
      assertThat(head).startsWith("HTTP/1.1 101");
      out.write(new byte[] {(byte) 0x82, (byte) 0xFE, (byte) (B >> 8), (byte) B, 0, 0, 0, 0});
      out.write(block(0).getBytes()); // a zero mask leaves the payload as it is
      out.flush();

      try {
        app.refused.get(30, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        throw new AssertionError(
            "not refused: accepted " + app.accepted + ", max pending " + app.maxPending, e);
      }
      assertThat(app.firstClose.get(30, TimeUnit.SECONDS)).isEqualTo(CloseReason.SLOW_READER);
    }
    assertThat(app.maxPending.get()).isBetween(1, 8);
    assertThat(app.accepted.get()).isGreaterThan(8);
    assertThat(meter(relay, RelayMetrics.CONNECTIONS_CLOSED, "reason", "slow_reader")).isEqualTo(1);
    assertThat(meter(relay, RelayMetrics.READ_PAUSES, "cause", "outbound")).isGreaterThan(0);
    assertThat(meter(relay, RelayMetrics.CONNECTIONS_OPEN)).isZero();
  }

  private static String readHead(InputStream in) throws java.io.IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        break;
      }
      head.append((char) c);
    }
    return head.toString();
  }

  /** Holds every command until four are in flight, then finishes them all. */
  static final class HoldingApplication extends EchoApplication {
    final AtomicInteger maxInFlight = new AtomicInteger();

    @Override
    protected SessionHandler handler(Session session) {
      SessionHandler echo = super.handler(session);
      List<Buffer> held = new ArrayList<>();
      return new SessionHandler() {
        @Override
        public void onBlock(Buffer block) {
          session.handshakeCompleted();
          session.commandsStarted(1);
          held.add(block.copy());
          maxInFlight.accumulateAndGet(held.size(), Math::max);
          if (held.size() == 4) {
            session
                .context()
                .owner()
                .setTimer(
                    20,
                    id -> {
                      for (Buffer b : held) {
                        session.send(b);
                      }
                      session.commandsFinished(held.size());
                      held.clear();
                    });
          }
        }

        @Override
        public void onClose(CloseReason reason) {
          echo.onClose(reason);
        }
      };
    }
  }

  @Test
  void readingPausesWhileTooManyCommandsAreInFlight(Vertx vertx) throws Exception {
    HoldingApplication app = new HoldingApplication();
    relay =
        RelayTestSupport.start(
            vertx, config(dataDir, "connection.max-outstanding-commands", "4"), app);
    WebSocket ws = open(vertx);
    CompletableFuture<Void> all = new CompletableFuture<>();
    AtomicInteger echoed = new AtomicInteger();
    ws.binaryMessageHandler(
        b -> {
          if (echoed.incrementAndGet() == 20) {
            all.complete(null);
          }
        });
    for (int i = 0; i < 20; i++) {
      ws.writeFinalBinaryFrame(block(i));
    }
    all.get(30, TimeUnit.SECONDS);
    assertThat(app.maxInFlight.get()).isEqualTo(4);
    assertThat(meter(relay, RelayMetrics.READ_PAUSES, "cause", "commands")).isGreaterThan(0);
  }

  /** Answers each block after a delay, as a store write would. */
  static final class SlowApplication extends EchoApplication {
    final CompletableFuture<Void> received = new CompletableFuture<>();

    @Override
    protected void reply(Session session, Buffer block) {
      received.complete(null);
      session
          .context()
          .owner()
          .setTimer(
              300,
              id -> {
                session.send(block);
                session.commandsFinished(1);
              });
    }
  }

  @Test
  void shutdownLetsCommandsInFlightFinishThenClosesAndStopsTheApplication(Vertx vertx)
      throws Exception {
    SlowApplication app = new SlowApplication();
    relay = RelayTestSupport.start(vertx, config(dataDir), app);
    WebSocket ws = open(vertx);
    CompletableFuture<Buffer> reply = new CompletableFuture<>();
    CompletableFuture<Short> closed = new CompletableFuture<>();
    ws.binaryMessageHandler(reply::complete);
    ws.closeHandler(v -> closed.complete(ws.closeStatusCode()));
    ws.writeFinalBinaryFrame(block(3));
    app.received.get(20, TimeUnit.SECONDS);

    var closing = relay.close();
    assertThat(relay.ready()).isFalse();
    assertThat(reply.get(20, TimeUnit.SECONDS)).isEqualTo(block(3));
    assertThat(closed.get(20, TimeUnit.SECONDS)).isEqualTo((short) 1001);
    await(closing);
    assertThat(app.events).containsExactly("start", "close:shutdown", "stop");
    relay = null;
    assertThat(reply.get().length()).isEqualTo(B);
  }
}
