package org.sealpost.relay.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class LogGuardTest {
  @Test
  void librariesThatNamePeersAreCappedAtInfoAndStricterLevelsStay() {
    Logger netty = Logger.getLogger("io.netty");
    Logger vertx = Logger.getLogger("io.vertx");
    Logger tls = Logger.getLogger("jdk.event.security");
    Logger child = Logger.getLogger("io.netty.handler.ssl.SslHandler");
    netty.setLevel(Level.ALL);
    vertx.setLevel(Level.WARNING);
    tls.setLevel(Level.FINE);

    LogGuard.apply();

    assertThat(netty.getLevel()).isEqualTo(Level.INFO);
    assertThat(child.isLoggable(Level.FINE)).isFalse();
    assertThat(vertx.getLevel()).isEqualTo(Level.WARNING);
    assertThat(tls.isLoggable(Level.FINE)).isFalse();
    assertThat(tls.isLoggable(Level.INFO)).isTrue();
  }

  @Test
  void nettysWarningAboutVertxFinishingACloseWithASpentPromiseIsDroppedAndNothingElse() {
    LogGuard.apply();
    Logger promise = Logger.getLogger("io.netty.util.concurrent.DefaultPromise");
    List<LogRecord> published = new CopyOnWriteArrayList<>();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            published.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    promise.addHandler(capture);
    try {
      promise.log(warning(spent("io.vertx.core.http.impl.websocket.WebSocketConnectionImpl")));
      assertThat(published).isEmpty();

      // the same message from elsewhere, another exception, or none: all still logged
      promise.log(warning(spent("io.vertx.core.net.impl.VertxConnection")));
      IllegalArgumentException other = new IllegalArgumentException("something else");
      other.setStackTrace(
          spent("io.vertx.core.http.impl.websocket.WebSocketConnectionImpl").getStackTrace());
      promise.log(warning(other));
      promise.log(new LogRecord(Level.WARNING, "no exception"));
      assertThat(published).hasSize(3);
    } finally {
      promise.removeHandler(capture);
    }
  }

  private static LogRecord warning(Throwable t) {
    LogRecord r = new LogRecord(Level.WARNING, "An exception was thrown by a listener");
    r.setThrown(t);
    return r;
  }

  /** The exception as Netty reports it, thrown from {@code finishClose} of {@code owner}. */
  private static IllegalArgumentException spent(String owner) {
    IllegalArgumentException e =
        new IllegalArgumentException("promise already done: DefaultChannelPromise@1(success)");
    e.setStackTrace(
        new StackTraceElement[] {
          new StackTraceElement(
              "io.netty.channel.AbstractChannelHandlerContext", "close", "A.java", 616),
          new StackTraceElement(
              "io.vertx.core.net.impl.VertxConnection", "writeClose", "V.java", 1),
          new StackTraceElement(owner, "finishClose", "W.java", 214)
        });
    return e;
  }
}
