package org.sealpost.relay.forward;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.time.Duration;
import java.util.function.Consumer;
import org.sealpost.proto.address.RelayAddress;

/**
 * The first relay's connection to a destination for one circuit (protocol §11): TLS and a WebSocket
 * on {@code /v1}, nothing else. The client's own session with the destination runs through it block
 * for block; this side holds no key of it and never reads a block.
 *
 * <p>Opened on the caller's context (the client connection's event loop), which then owns it.
 */
public final class CircuitLink {
  private static final short NORMAL_CLOSE = 1000;

  private final WebSocket ws;
  private final int blockSize;

  private CircuitLink(WebSocket ws, int blockSize) {
    this.ws = ws;
    this.blockSize = blockSize;
  }

  /** Connects within {@code deadline}; fails with {@link ForwardException} FORWARD. */
  static Future<CircuitLink> open(
      Vertx vertx, WebSocketClient client, RelayAddress destination, Duration deadline) {
    long ms = Math.max(1, deadline.toMillis());
    Promise<CircuitLink> opened = Promise.promise();
    long timer = vertx.setTimer(ms, t -> opened.tryFail(ForwardException.unreachable()));
    WebSocketConnectOptions connect = LinkSockets.connect(destination, ms);
    client
        .connect(connect)
        .onComplete(
            ar -> {
              vertx.cancelTimer(timer);
              if (ar.failed()) {
                opened.tryFail(ForwardException.unreachable());
                return;
              }
              WebSocket ws = ar.result();
              LinkSockets.alignTlsRecordsToBlocks(ws, destination.blockSize());
              if (!opened.tryComplete(new CircuitLink(ws, destination.blockSize()))) {
                ws.close(NORMAL_CLOSE); // the deadline passed while connecting
              }
            });
    return opened.future();
  }

  /**
   * Starts the splice: every message from the destination goes to {@code toClient} (a message that
   * is not exactly B bytes closes the link), and {@code closed} runs once when the link ends.
   */
  public void start(Consumer<Buffer> toClient, Runnable closed) {
    ws.binaryMessageHandler(
        m -> {
          if (m.length() == blockSize) {
            toClient.accept(m);
          } else {
            ws.close(NORMAL_CLOSE);
          }
        });
    ws.textMessageHandler(t -> ws.close(NORMAL_CLOSE));
    ws.exceptionHandler(e -> ws.close());
    ws.closeHandler(v -> closed.run());
  }

  /**
   * Passes one of the client's blocks on, unread.
   *
   * @return false when the destination does not read fast enough (the caller ends the circuit)
   */
  public boolean send(Buffer block) {
    if (ws.isClosed() || ws.writeQueueFull()) {
      return false;
    }
    ws.writeBinaryMessage(block);
    return true;
  }

  /** Stops reading from the destination until {@link #resume}. */
  public void pause() {
    ws.pause();
  }

  public void resume() {
    ws.resume();
  }

  public void close() {
    if (!ws.isClosed()) {
      ws.close(NORMAL_CLOSE);
    }
  }
}
