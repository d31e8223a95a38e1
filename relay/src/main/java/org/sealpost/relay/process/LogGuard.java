package org.sealpost.relay.process;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps client addresses out of the log at any configured verbosity (DESIGN §1, invariant 4). At
 * FINE and below, libraries log connection details: the JDK's TLS handshake events ({@code
 * jdk.event.security}: "TLSHandshake: 203.0.113.7:40301, ...") and Netty's and Vert.x's channel
 * descriptions ("[id: 0x…, L:/… - R:/203.0.113.7:40301]"). Their loggers are capped at INFO, even
 * when the logging configuration asks for more; the relay's own loggers are untouched. A
 * configuration that names a sub-logger explicitly (e.g. {@code io.netty.handler.ssl.level=FINE})
 * still overrides the cap for that sub-logger: do not do that on a production relay.
 */
public final class LogGuard {
  /** Loggers whose debug output names peers; held strongly so the cap is not garbage collected. */
  private static final List<Logger> CAPPED =
      List.of(
          Logger.getLogger("jdk.event.security"),
          Logger.getLogger("io.netty"),
          Logger.getLogger("io.vertx"));

  // issue 16: Vert.x 5.1 finishes a WebSocket close with a promise the closed channel already
  // completed when the socket goes away while its close frame still waits in Vert.x's queue (a
  // client that stops reading, then disconnects, can do that at will); Netty then logs the
  // IllegalArgumentException with its stack trace, once per connection. Only that record is
  // dropped.
  private static final Logger PROMISE = Logger.getLogger("io.netty.util.concurrent.DefaultPromise");

  private LogGuard() {}

  /** Caps the loggers that would name client addresses at INFO. */
  public static void apply() {
    for (Logger logger : CAPPED) {
      Level level = logger.getLevel();
      if (level == null || level.intValue() < Level.INFO.intValue()) {
        logger.setLevel(Level.INFO);
      }
    }
    PROMISE.setFilter(record -> !isSpentCloseFrameNoise(record));
  }

  /**
   * Whether the record is Netty's warning about Vert.x's {@code
   * WebSocketConnectionImpl.finishClose} closing with a promise already done (see the field above);
   * nothing else matches.
   */
  static boolean isSpentCloseFrameNoise(java.util.logging.LogRecord record) {
    Throwable t = record.getThrown();
    if (!(t instanceof IllegalArgumentException)
        || t.getMessage() == null
        || !t.getMessage().startsWith("promise already done")) {
      return false;
    }
    for (StackTraceElement e : t.getStackTrace()) {
      if (e.getClassName().equals("io.vertx.core.http.impl.websocket.WebSocketConnectionImpl")
          && e.getMethodName().equals("finishClose")) {
        return true;
      }
    }
    return false;
  }
}
