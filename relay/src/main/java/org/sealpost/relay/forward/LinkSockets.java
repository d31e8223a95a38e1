package org.sealpost.relay.forward;

import io.netty.handler.ssl.SslHandler;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.internal.http.WebSocketInternal;
import java.time.Duration;
import java.util.Set;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.proto.address.Transport;
import org.sealpost.proto.codec.TlsRecordAlignment;

/**
 * The WebSocket client of relay-to-relay sessions, and the forward package's only touch of
 * Vert.x-internal API (TLS record alignment), kept here so a Vert.x upgrade has one class to check.
 */
final class LinkSockets {
  /** Larger than any block (B ≤ 65535). */
  private static final int MAX_MESSAGE = 70_000;

  private LinkSockets() {}

  static WebSocketClientOptions options(Duration connectTimeout) {
    return new WebSocketClientOptions()
        // the destination is authenticated by its Noise key from the address, not by the
        // certificate (protocol §1.1): any certificate is accepted, as by the client library
        .setTrustAll(true)
        .setVerifyHost(false)
        .setEnabledSecureTransportProtocols(Set.of("TLSv1.3"))
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
        // compression would make sizes depend on content
        .setTryUsePerMessageCompression(false)
        .setTryUsePerFrameCompression(false)
        .setMaxFrameSize(MAX_MESSAGE)
        .setMaxMessageSize(MAX_MESSAGE)
        .setMaxConnections(Integer.MAX_VALUE)
        .setClosingTimeout(2);
  }

  /** The WebSocket upgrade to a destination: {@code /v1}, TLS when its address says so. */
  static WebSocketConnectOptions connect(RelayAddress destination, long timeoutMillis) {
    return new WebSocketConnectOptions()
        .setHost(destination.host())
        .setPort(destination.port())
        .setURI("/v1")
        .setSsl(destination.transport() == Transport.TLS)
        .setConnectTimeout(timeoutMillis)
        .setTimeout(timeoutMillis);
  }

  /**
   * One block per TLS record (invariant 3): Netty's SslHandler hands the engine chunks of its wrap
   * data size, so with the chunk equal to one masked block message every block gets its own record.
   */
  static void alignTlsRecordsToBlocks(WebSocket socket, int blockSize) {
    SslHandler ssl =
        ((WebSocketInternal) socket).channelHandlerContext().pipeline().get(SslHandler.class);
    if (ssl != null) {
      ssl.setWrapDataSize(
          TlsRecordAlignment.chunkSize(blockSize + TlsRecordAlignment.CLIENT_FRAME_HEADER));
    }
  }
}
