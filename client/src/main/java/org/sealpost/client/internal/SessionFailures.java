package org.sealpost.client.internal;

import io.vertx.core.http.UpgradeRejectedException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import javax.net.ssl.SSLException;
import org.sealpost.client.ClientError;
import org.sealpost.client.SealpostException;
import org.sealpost.proto.v1.ErrorCode;

/**
 * The one place that names why a session could not open or ended: which step failed decides the
 * {@link ClientError}, and the message says what to check. Messages name the relay by host and
 * port, never its key.
 */
final class SessionFailures {
  private SessionFailures() {}

  static SealpostException protocol(String relayName, String message) {
    return new SealpostException(ClientError.PROTOCOL, relayName + ": " + message);
  }

  static SealpostException handshakeTimeout(String relayName, Duration timeout) {
    return new SealpostException(
        ClientError.TIMEOUT,
        "the relay at "
            + relayName
            + " did not finish the Noise handshake within "
            + timeout.toSeconds()
            + " s");
  }

  static SealpostException pingsUnanswered(String relayName) {
    return new SealpostException(
        ClientError.CONNECTION_LOST, "the relay at " + relayName + " stopped answering pings");
  }

  /** The relay sent an Error outside any command: it ends the session. */
  static SealpostException endedByRelay(String relayName, ErrorCode code) {
    SealpostException e = RelayErrors.of(code, "session", relayName);
    return new SealpostException(
        ClientError.PROTOCOL, "the relay ended the session: " + e.getMessage(), code, null);
  }

  /** The socket closed before the Noise handshake completed. */
  static SealpostException closedDuringHandshake(String relayName, Short closeStatus) {
    return new SealpostException(
        ClientError.HANDSHAKE,
        "the relay at "
            + relayName
            + " closed the connection during the Noise handshake"
            + (closeStatus == null ? "" : " (WebSocket close " + closeStatus + ")")
            + ": the relay key in the address is not this relay's key, or its block size"
            + " differs");
  }

  /** The socket closed after the Noise handshake. */
  static SealpostException lost(String relayName, Short closeStatus) {
    return new SealpostException(
        ClientError.CONNECTION_LOST,
        "connection to "
            + relayName
            + " lost"
            + (closeStatus == null ? "" : " (WebSocket close " + closeStatus + ")"));
  }

  /** Why TCP, TLS or the WebSocket upgrade failed. */
  static SealpostException connectFailure(
      String relayName, Duration connectTimeout, Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof UnknownHostException) {
        return new SealpostException(
            ClientError.UNREACHABLE, "cannot resolve the host of relay " + relayName, failure);
      }
      if (t instanceof ConnectException
          || t instanceof NoRouteToHostException
          || t instanceof SocketTimeoutException
          || t.getClass().getSimpleName().contains("Timeout")) {
        String why =
            t instanceof NoRouteToHostException
                ? "no route to host"
                : t instanceof ConnectException && !t.getClass().getSimpleName().contains("Timeout")
                    ? "connection refused"
                    : "no answer within " + connectTimeout.toSeconds() + " s";
        return new SealpostException(
            ClientError.UNREACHABLE,
            "cannot connect to relay "
                + relayName
                + " ("
                + why
                + "): is it running, and is the address right?",
            failure);
      }
      if (t instanceof SSLException) {
        return new SealpostException(
            ClientError.TRANSPORT,
            "the TLS handshake with relay "
                + relayName
                + " failed; a relay without TLS has a sealpost+ws:// address",
            failure);
      }
      if (t instanceof UpgradeRejectedException rejected) {
        return new SealpostException(
            ClientError.TRANSPORT,
            relayName
                + " refused the WebSocket upgrade on /v1 (HTTP "
                + rejected.getStatus()
                + "): is this a Sealpost relay?",
            failure);
      }
    }
    return new SealpostException(
        ClientError.TRANSPORT,
        "cannot open a WebSocket to " + relayName + " (" + failure.getClass().getSimpleName() + ")",
        failure);
  }
}
