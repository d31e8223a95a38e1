package org.sealpost.lab.operator;

import io.vertx.core.buffer.Buffer;
import java.util.concurrent.atomic.AtomicLong;
import org.sealpost.lab.operator.OperatorLog.Kind;
import org.sealpost.relay.transport.CloseReason;
import org.sealpost.relay.transport.Session;
import org.sealpost.relay.transport.SessionHandler;
import org.sealpost.relay.transport.SessionHandlerFactory;

/**
 * Numbers the relay's connections and marks, while one of their blocks is handled, which connection
 * the command path is working for: the relay calls {@link SessionHandler#onBlock} on the
 * connection's event loop, and the handlers start their command-path calls inside it.
 */
final class RecordingSessionHandlerFactory implements SessionHandlerFactory {
  /** No connection: a call made outside a block (a push started by a store notification). */
  static final long NONE = -1;

  private final ThreadLocal<long[]> current = ThreadLocal.withInitial(() -> new long[] {NONE});
  private final AtomicLong next = new AtomicLong();
  private volatile SessionHandlerFactory delegate;
  private final OperatorLog log;

  RecordingSessionHandlerFactory(OperatorLog log) {
    this.log = log;
  }

  void delegateTo(SessionHandlerFactory factory) {
    this.delegate = factory;
  }

  /** The connection whose block this thread is handling, or {@link #NONE}. */
  long currentConnection() {
    return current.get()[0];
  }

  @Override
  public SessionHandler create(Session session) {
    long id = next.incrementAndGet();
    log.record(Kind.OPEN, id, "-", "-");
    SessionHandler handler = delegate.create(session);
    long[] slot = current.get();
    return new SessionHandler() {
      @Override
      public void onBlock(Buffer block) {
        long previous = slot[0];
        slot[0] = id;
        try {
          handler.onBlock(block);
        } finally {
          slot[0] = previous;
        }
      }

      @Override
      public void onClose(CloseReason reason) {
        log.record(Kind.CLOSE, id, reason.name(), "-");
        handler.onClose(reason);
      }
    };
  }
}
