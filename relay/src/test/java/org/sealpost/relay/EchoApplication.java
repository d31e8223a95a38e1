package org.sealpost.relay;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.sealpost.relay.transport.CloseReason;
import org.sealpost.relay.transport.Session;
import org.sealpost.relay.transport.SessionHandler;
import org.sealpost.relay.transport.SessionHandlerFactory;

/**
 * Test-only relay application: every block is sent straight back. The first block completes the
 * "handshake". Records lifecycle events so tests can check their order.
 */
public class EchoApplication implements RelayApplication {
  final List<String> events = new CopyOnWriteArrayList<>();
  final List<CloseReason> closes = new CopyOnWriteArrayList<>();
  final java.util.concurrent.CompletableFuture<CloseReason> firstClose =
      new java.util.concurrent.CompletableFuture<>();
  volatile boolean ready = true;

  @Override
  public Future<SessionHandlerFactory> start(RelayEnvironment environment) {
    events.add("start");
    return Future.succeededFuture(this::handler);
  }

  /** The per-connection handler; subclasses change what happens to a block. */
  protected SessionHandler handler(Session session) {
    return new SessionHandler() {
      @Override
      public void onBlock(Buffer block) {
        session.handshakeCompleted();
        session.commandsStarted(1);
        reply(session, block.copy());
      }

      @Override
      public void onClose(CloseReason reason) {
        closes.add(reason);
        firstClose.complete(reason);
        events.add("close:" + reason.tag());
      }
    };
  }

  /** Answers one block; the default sends it back at once. */
  protected void reply(Session session, Buffer block) {
    session.send(block);
    session.commandsFinished(1);
  }

  @Override
  public boolean ready() {
    return ready;
  }

  @Override
  public Future<Void> stop() {
    events.add("stop");
    return Future.succeededFuture();
  }
}
