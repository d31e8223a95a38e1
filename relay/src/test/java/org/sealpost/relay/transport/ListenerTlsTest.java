package org.sealpost.relay.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import org.junit.jupiter.api.Test;
import org.sealpost.relay.config.TlsEngine;

class ListenerTlsTest {
  @Test
  void autoIsBoringSslWhereItLoadsAndTheJdkEngineElsewhere() {
    Class<?> expected =
        OpenSSLEngineOptions.isAvailable() ? OpenSSLEngineOptions.class : JdkSSLEngineOptions.class;
    assertThat(ListenerTls.engineOptions(TlsEngine.AUTO)).isInstanceOf(expected);
    assertThat(ListenerTls.engineOptions(TlsEngine.JDK)).isInstanceOf(JdkSSLEngineOptions.class);
  }

  @Test
  void boringSslLoadsOnTheLinuxX8664Build() {
    // the relay jar bundles netty-tcnative for linux-x86_64 only; elsewhere auto means the JDK
    if (System.getProperty("os.name").startsWith("Linux")
        && System.getProperty("os.arch").equals("amd64")) {
      assertThat(OpenSSLEngineOptions.isAvailable()).isTrue();
      assertThat(ListenerTls.engineOptions(TlsEngine.AUTO))
          .isInstanceOf(OpenSSLEngineOptions.class);
    }
  }
}
