package org.sealpost.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sealpost.client.ClientTlsEngine;

/** Which TLS engine the client builds, and that BoringSSL keeps no sessions to resume. */
class RecordExactTlsTest {
  private static SslContext context(ClientTlsEngine engine) throws Exception {
    return new RecordExactTls(engine)
        .sslContextFactory()
        .forClient(null, null)
        .enabledProtocols(Set.of("TLSv1.3"))
        .trustManagerFactory(InsecureTrustManagerFactory.INSTANCE)
        .create();
  }

  @Test
  void boringSslIsUsedWhereItLoadsAndKeepsNoSessions() throws Exception {
    assertThat(OpenSsl.isAvailable()).as("netty-tcnative on the test class path").isTrue();
    for (ClientTlsEngine engine :
        new ClientTlsEngine[] {ClientTlsEngine.AUTO, ClientTlsEngine.OPENSSL}) {
      SslContext c = context(engine);
      assertThat(c.isClient()).isTrue();
      assertThat(c.sessionContext()).isInstanceOf(OpenSslSessionContext.class);
      assertThat(((OpenSslSessionContext) c.sessionContext()).isSessionCacheEnabled())
          .as("a cached session would be offered for resumption, linking connections")
          .isFalse();
    }
  }

  @Test
  void bouncyCastleStaysAvailable() throws Exception {
    assertThat(context(ClientTlsEngine.BOUNCY_CASTLE)).isInstanceOf(JdkSslContext.class);
    assertThat(RecordExactTls.usesOpenSsl(ClientTlsEngine.BOUNCY_CASTLE)).isFalse();
  }
}
