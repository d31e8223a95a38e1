package org.sealpost.relay.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.logging.Level;
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
}
