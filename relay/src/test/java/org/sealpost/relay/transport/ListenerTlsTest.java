package org.sealpost.relay.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.relay.config.TlsEngine;
import org.sealpost.relay.crypto.TlsCertificates;

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

  @TempDir Path tmp;

  @Test
  void preparingTheListenersTlsAheadWorksForBothEnginesAndRefusesABrokenKey() throws Exception {
    TlsCertificates.CertificatePaths pem =
        new TlsCertificates(new SecureRandom(), Clock.systemUTC())
            .loadOrCreateSelfSigned(tmp, "relay.example");
    Vertx vertx = Vertx.vertx();
    try {
      ListenerTls.prepare(vertx, pem.certificate(), pem.privateKey(), TlsEngine.JDK);
      ListenerTls.prepare(vertx, pem.certificate(), pem.privateKey(), TlsEngine.AUTO);
      Path broken = Files.writeString(tmp.resolve("broken.pem"), "not a key");
      assertThatThrownBy(
              () -> ListenerTls.prepare(vertx, pem.certificate(), broken, TlsEngine.AUTO))
          .isInstanceOf(Exception.class);
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
