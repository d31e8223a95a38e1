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

  private LogGuard() {}

  /** Caps the loggers that would name client addresses at INFO. */
  public static void apply() {
    for (Logger logger : CAPPED) {
      Level level = logger.getLevel();
      if (level == null || level.intValue() < Level.INFO.intValue()) {
        logger.setLevel(Level.INFO);
      }
    }
  }
}
