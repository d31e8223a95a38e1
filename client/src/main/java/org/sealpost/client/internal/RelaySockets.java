package org.sealpost.client.internal;

import io.vertx.core.Future;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.time.Duration;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.proto.address.Transport;
import org.sealpost.proto.codec.TlsRecordAlignment;

/** Opens the WebSocket a session runs on: TCP, TLS when the address says so, upgrade on /v1. */
final class RelaySockets {
  private RelaySockets() {}

  /**
   * Connects to the relay of {@code address}.
   *
   * @return the socket, its TLS records aligned to blocks; or a failure with the {@link
   *     org.sealpost.client.SealpostException} {@link SessionFailures#connectFailure} names
   */
  static Future<WebSocket> connect(
      WebSocketClient client, RelayAddress address, Duration connectTimeout) {
    long connectMs = connectTimeout.toMillis();
    WebSocketConnectOptions connect =
        new WebSocketConnectOptions()
            .setHost(address.host())
            .setPort(address.port())
            .setURI("/v1")
            .setSsl(address.transport() == Transport.TLS)
            .setConnectTimeout(connectMs)
            .setTimeout(connectMs);
    return client
        .connect(connect)
        .recover(
            failure ->
                Future.failedFuture(
                    SessionFailures.connectFailure(address.toString(), connectTimeout, failure)))
        .map(
            socket -> {
              alignTlsRecordsToBlocks(socket, address.blockSize());
              return socket;
            });
  }

  /**
   * One block's WebSocket message per TLS record, never two in one: Netty's SslHandler coalesces
   * queued writes and hands the engine chunks of its wrap data size, one record each, so with the
   * chunk equal to one message every pipelined block gets a record of its own, B + 25 bytes with
   * {@link RecordExactTls} (invariant 3). A message larger than a record (B > 16,376) is cut into
   * equal parts at the same offsets in every block.
   */
  private static void alignTlsRecordsToBlocks(WebSocket socket, int blockSize) {
    VertxInternals.setTlsWrapDataSize(
        socket,
        TlsRecordAlignment.chunkSize(
            blockSize + TlsRecordAlignment.CLIENT_FRAME_HEADER, RecordExactTls.MAX_RECORD_DATA));
  }
}
