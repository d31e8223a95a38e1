package org.sealpost.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.ssl.NotSslRecordException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.sealpost.client.ClientError;
import org.sealpost.client.SealpostException;

/** Which step failed decides the error: only a refusal is a wrong key, only non-TLS gets a hint. */
class SessionFailuresTest {
  private static final String RELAY = "sealpost://…@relay.test:443";
  private static final String PLAIN_HINT = "sealpost+ws:// address";

  private static SealpostException connect(Throwable failure) {
    return SessionFailures.connectFailure(RELAY, Duration.ofSeconds(10), failure);
  }

  private static SSLHandshakeException tls(Throwable cause) {
    SSLHandshakeException e = new SSLHandshakeException("Failed to create SSL connection");
    e.initCause(cause);
    return e;
  }

  @Test
  void onlyARefusedNoiseHandshakeIsAWrongKey() {
    assertThat(SessionFailures.closedDuringHandshake(RELAY, (short) 1008).error())
        .isEqualTo(ClientError.HANDSHAKE);
    for (Short status : new Short[] {null, 1000, 1001, 1006, 1011}) {
      SealpostException e = SessionFailures.closedDuringHandshake(RELAY, status);
      assertThat(e.error()).as("close %s", status).isEqualTo(ClientError.CONNECTION_LOST);
      assertThat(e.getMessage())
          .contains("was lost during the Noise handshake")
          .doesNotContain("key");
    }
  }

  @Test
  void aConnectionClosedMidTlsIsLost() {
    SealpostException e = connect(tls(new ClosedChannelException()));

    assertThat(e.error()).isEqualTo(ClientError.CONNECTION_LOST);
    assertThat(e.getMessage()).contains("lost during the TLS handshake").doesNotContain(PLAIN_HINT);
  }

  @Test
  void aPeerThatAnswersWithoutTlsGetsThePlainHint() {
    SealpostException e = connect(tls(new NotSslRecordException("not an SSL/TLS record")));

    assertThat(e.error()).isEqualTo(ClientError.TRANSPORT);
    assertThat(e.getMessage()).contains(PLAIN_HINT);
  }

  @Test
  void anotherTlsFailureNamesNoScheme() {
    SealpostException e = connect(new SSLHandshakeException("Received fatal alert"));

    assertThat(e.error()).isEqualTo(ClientError.TRANSPORT);
    assertThat(e.getMessage()).contains("TLS handshake").doesNotContain(PLAIN_HINT);
  }

  @Test
  void aCloseBeforeThePlainUpgradeNamesBothCauses() {
    SealpostException e =
        connect(new WebSocketHandshakeException("Connection closed while handshake in process"));

    assertThat(e.error()).isEqualTo(ClientError.TRANSPORT);
    assertThat(e.getMessage()).contains("went away").doesNotContain(PLAIN_HINT);
  }

  @Test
  void aRefusedTcpConnectionIsUnreachable() {
    assertThat(connect(new ConnectException("Connection refused")).error())
        .isEqualTo(ClientError.UNREACHABLE);
  }
}
