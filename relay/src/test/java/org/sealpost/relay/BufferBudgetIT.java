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
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.relay.metrics.RelayMetrics;

/** The process-wide budget for buffered output, against clients that never read. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BufferBudgetIT {
  // a stalled reader that stopped holds 9 to 16 blocks: it pauses at 16, the kernel may still take
  // a few, and it reads again only at 8; so at most four fit below the high mark (42 blocks)
  private static final int STALLED = 8;
  // more than the 6 blocks between the high mark and the limit
  private static final int STALLED_CROWD = 10;
  private static final int WINDOW = 16;
  // enough rounds of stalled readers that the old rule cut the client that reads in most runs
  private static final int CUTS = 2 * STALLED_CROWD;
  // 48 blocks: three stalled readers at their per-connection pause point (16 blocks) pass it
  private static final long BUDGET = 48L * B;

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

  @Test
  void stalledReadersAreCutToKeepTheBudgetAndAWellBehavedClientIsStillServed(Vertx vertx)
      throws Exception {
    relay = startRelay(vertx);
    assertThat(meter(relay, RelayMetrics.BUFFER_BUDGET_BYTES)).isEqualTo((double) BUDGET);
    client = client(vertx, false);
    WebSocket good = await(connect(client, relay.port(), "/v1"));
    AtomicInteger echoed = new AtomicInteger();
    good.binaryMessageHandler(b -> echoed.incrementAndGet());
    CompletableFuture<Void> goodClosed = new CompletableFuture<>();
    good.closeHandler(v -> goodClosed.complete(null));
    echo(good, echoed, 1);

    List<RawWebSocketClient> stalled = new ArrayList<>();
    try {
      for (int i = 0; i < STALLED; i++) {
        RawWebSocketClient raw = new RawWebSocketClient(relay.port(), 4096);
        stalled.add(raw);
        assertThat(raw.upgrade()).startsWith("HTTP/1.1 101");
        ConnectionLifecycleIT.keepSending(raw);
      }
      // at most four stalled readers fit below the high mark, so at least four are cut
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (meter(relay, RelayMetrics.CONNECTIONS_CLOSED, "reason", "buffer_budget") < 4
          && System.nanoTime() < until) {
        echo(good, echoed, 1);
      }
      assertThat(meter(relay, RelayMetrics.CONNECTIONS_CLOSED, "reason", "buffer_budget"))
          .isGreaterThanOrEqualTo(4);
      assertThat(meter(relay, RelayMetrics.READ_PAUSES, "cause", "budget")).isPositive();

      // the well-behaved client is still served, and was never cut
      echo(good, echoed, 20);
      assertThat(goodClosed).isNotDone();
      assertThat(meter(relay, RelayMetrics.BUFFERED_PEAK_BYTES))
          .isGreaterThan(BUDGET / 2.0)
          .isLessThanOrEqualTo((double) BUDGET);
      assertThat(meter(relay, RelayMetrics.BUFFERED_BYTES)).isLessThanOrEqualTo((double) BUDGET);
    } finally {
      for (RawWebSocketClient raw : stalled) {
        raw.close();
      }
    }
  }

  @Test
  void aClientThatReadsIsNotCutWhileStalledReadersKeepFillingTheBudget(Vertx vertx)
      throws Exception {
    // more stalled readers than the room above the high mark has blocks: until the pauses take
    // hold, their blocks fill the budget to its limit, and the block that no longer fitted was
    // often a reply to the client that reads, which was then cut (once in about 8 runs of the test
    // above, which has one block in flight; this client keeps WINDOW in flight)
    relay = startRelay(vertx);
    client = client(vertx, false);
    WebSocket good = await(connect(client, relay.port(), "/v1"));
    AtomicInteger echoed = new AtomicInteger();
    AtomicInteger sent = new AtomicInteger();
    AtomicBoolean streaming = new AtomicBoolean();
    good.binaryMessageHandler(
        b -> {
          echoed.incrementAndGet();
          if (streaming.get()) {
            sent.incrementAndGet();
            good.writeFinalBinaryFrame(block(1));
          }
        });
    CompletableFuture<Void> goodClosed = new CompletableFuture<>();
    good.closeHandler(v -> goodClosed.complete(null));
    echo(good, echoed, 1);

    List<RawWebSocketClient> stalled = new ArrayList<>();
    List<Thread> senders = new ArrayList<>();
    try {
      streaming.set(true);
      for (int i = 0; i < WINDOW; i++) {
        sent.incrementAndGet();
        good.writeFinalBinaryFrame(block(1));
      }
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (meter(relay, RelayMetrics.CONNECTIONS_CLOSED, "reason", "buffer_budget") < CUTS
          && !goodClosed.isDone()
          && System.nanoTime() < until) {
        // a stalled reader the relay cut is replaced, so that STALLED_CROWD keep arriving
        for (int i = 0; i < STALLED_CROWD; i++) {
          if (i == stalled.size() || !senders.get(i).isAlive()) {
            RawWebSocketClient raw = new RawWebSocketClient(relay.port(), 4096);
            assertThat(raw.upgrade()).startsWith("HTTP/1.1 101");
            if (i == stalled.size()) {
              stalled.add(raw);
              senders.add(ConnectionLifecycleIT.keepSending(raw));
            } else {
              stalled.set(i, raw).close();
              senders.set(i, ConnectionLifecycleIT.keepSending(raw));
            }
          }
        }
        Thread.sleep(5);
      }
      assertThat(goodClosed).as("the client that reads was cut").isNotDone();
      assertThat(meter(relay, RelayMetrics.CONNECTIONS_CLOSED, "reason", "buffer_budget"))
          .isGreaterThanOrEqualTo(CUTS);
      streaming.set(false);
      long drained = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (echoed.get() < sent.get() + 1 && System.nanoTime() < drained) {
        Thread.sleep(5);
      }
      assertThat(echoed.get()).as("echoes to the well-behaved client").isEqualTo(sent.get() + 1);
      assertThat(goodClosed).isNotDone();
      assertThat(meter(relay, RelayMetrics.BUFFERED_PEAK_BYTES))
          .isLessThanOrEqualTo((double) BUDGET);
    } finally {
      for (RawWebSocketClient raw : stalled) {
        raw.close();
      }
    }
  }

  /** A relay with the budget under test, plain WebSocket, and no write-stall cut to interfere. */
  private RunningRelay startRelay(Vertx vertx) throws Exception {
    return RelayTestSupport.start(
        vertx,
        config(
            dataDir,
            "tls.enabled",
            "false",
            "connection.buffer-budget",
            String.valueOf(BUDGET),
            "connection.write-stall-timeout",
            "5m"),
        app);
  }

  /** Sends {@code n} blocks on the well-behaved connection and waits for their echoes. */
  private static void echo(WebSocket ws, AtomicInteger echoed, int n) throws Exception {
    int target = echoed.get() + n;
    for (int i = 0; i < n; i++) {
      ws.writeFinalBinaryFrame(block(i));
    }
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (echoed.get() < target && System.nanoTime() < until) {
      Thread.sleep(5);
    }
    assertThat(echoed.get()).as("echoes to the well-behaved client").isGreaterThanOrEqualTo(target);
  }
}
