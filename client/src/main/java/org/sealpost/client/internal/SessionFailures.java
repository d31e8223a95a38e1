package org.sealpost.client.internal;

import io.vertx.core.http.UpgradeRejectedException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
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
  /** The WebSocket close status a relay sends when it refuses a Noise handshake. */
  private static final short POLICY_VIOLATION = 1008;

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
        ClientError.CONNECTION_LOST,
        "connection to the relay at " + relayName + " was lost: it stopped answering pings");
  }

  /** The relay sent an Error outside any command: it ends the session. */
  static SealpostException endedByRelay(String relayName, ErrorCode code) {
    SealpostException e = RelayErrors.of(code, "session", relayName);
    return new SealpostException(
        ClientError.PROTOCOL, "the relay ended the session: " + e.getMessage(), code, null);
  }

  /**
   * The socket closed before the Noise handshake completed. Only a relay that refused the handshake
   * (WebSocket close 1008, what a relay sends when message 1 does not authenticate: the address
   * holds another key or B) means a wrong address; any other close is a connection lost.
   */
  static SealpostException closedDuringHandshake(String relayName, Short closeStatus) {
    if (closeStatus != null && closeStatus == POLICY_VIOLATION) {
      return new SealpostException(
          ClientError.HANDSHAKE,
          "the relay at "
              + relayName
              + " refused the Noise handshake (WebSocket close 1008): the relay key in the address"
              + " is not (or no longer) this relay's key, or its block size differs; if the relay"
              + " changed its key, get its new address from the relay's operator or information"
              + " page, or a new mailbox address from the recipient");
    }
    return lost(relayName, closeStatus, " during the Noise handshake");
  }

  /** The socket closed after the Noise handshake. */
  static SealpostException lost(String relayName, Short closeStatus) {
    return lost(relayName, closeStatus, "");
  }

  private static SealpostException lost(String relayName, Short closeStatus, String when) {
    return new SealpostException(
        ClientError.CONNECTION_LOST,
        "connection to the relay at "
            + relayName
            + " was lost"
            + when
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
      if (VertxInternals.isNotTls(t)) {
        return new SealpostException(
            ClientError.TRANSPORT,
            "the relay at "
                + relayName
                + " answered without TLS; a relay without TLS has a sealpost+ws:// address",
            failure);
      }
      if (t instanceof ClosedChannelException && tlsFailure(failure) != null) {
        return new SealpostException(
            ClientError.CONNECTION_LOST,
            "connection to the relay at " + relayName + " was lost during the TLS handshake",
            failure);
      }
      if (VertxInternals.isClosedDuringUpgrade(t)) {
        // A relay that went away and a TLS listener reached without TLS look the same here: the
        // peer closed without a word. Both are worth naming.
        return new SealpostException(
            ClientError.TRANSPORT,
            "the relay at "
                + relayName
                + " closed the connection before the WebSocket upgrade: it went away, or it"
                + " listens with TLS (then its address starts sealpost://)",
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
    Throwable tls = tlsFailure(failure);
    if (tls != null) {
      return new SealpostException(
          ClientError.TRANSPORT,
          "the TLS handshake with relay "
              + relayName
              + " failed ("
              + tls.getClass().getSimpleName()
              + ")",
          failure);
    }
    return new SealpostException(
        ClientError.TRANSPORT,
        "cannot open a WebSocket to " + relayName + " (" + failure.getClass().getSimpleName() + ")",
        failure);
  }

  private static Throwable tlsFailure(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SSLException) {
        return t;
      }
    }
    return null;
  }
}
