package org.sealpost.client.internal;

import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandler;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.http.WebSocketInternal;

/**
 * The client module's only use of Vert.x-internal and Netty API, kept here so a Vert.x upgrade that
 * moves them breaks one small class.
 */
final class VertxInternals {
  private VertxInternals() {}

  /**
   * Sets how many bytes of queued writes Netty's SslHandler hands the TLS engine in one wrap call
   * (each call makes one TLS record when the engine can hold it).
   *
   * @return false if the socket has no TLS layer
   */
  static boolean setTlsWrapDataSize(WebSocket socket, int bytes) {
    SslHandler ssl =
        ((WebSocketInternal) socket).channelHandlerContext().pipeline().get(SslHandler.class);
    if (ssl == null) {
      return false;
    }
    ssl.setWrapDataSize(bytes);
    return true;
  }

  /**
   * A new event-loop context on the next of {@code vertx}'s event loops, in turn. (The public
   * {@code getOrCreateContext()} called from a thread that is not Vert.x's returns contexts that
   * all run on one event loop.)
   */
  static Context newEventLoopContext(Vertx vertx) {
    return ((VertxInternal) vertx).createEventLoopContext();
  }

  /** The peer answered a TLS ClientHello with bytes that are no TLS record (plain HTTP, say). */
  static boolean isNotTls(Throwable t) {
    return t instanceof NotSslRecordException;
  }

  /** The TCP connection closed before the server answered the WebSocket upgrade request. */
  static boolean isClosedDuringUpgrade(Throwable t) {
    return t instanceof WebSocketHandshakeException
        && t.getMessage() != null
        && t.getMessage().startsWith("Connection closed");
  }
}
