package org.sealpost.relay.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.http.WebSocketInternal;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.core.net.impl.VertxHandler;
import java.lang.System.Logger.Level;
import java.lang.reflect.Field;
import java.util.function.Function;

/**
 * The relay's only touches of Vert.x-internal API, in one place so that a Vert.x upgrade has one
 * class to check: the Netty channel under a WebSocket or an HTTP connection, and letting go of what
 * the HTTP/1.1 upgrade leaves behind on an accepted WebSocket.
 *
 * <p>Vert.x 5.1 replaces the connection's {@link VertxHandler} by one whose connection factory is a
 * lambda holding the upgrade's {@code Http1ServerConnection} and request. The factory runs once,
 * when the handler is added, but the handler keeps it for the life of the WebSocket, and with it
 * the HTTP connection's outbound queue (a 1024-slot array), the request, its queue and its headers:
 * about 7 KB per idle connection that nothing uses again. This swaps the spent factory for one that
 * refuses to run. Should a later Vert.x rename the field, the relay works as before and only keeps
 * that memory ({@link #upgradeResidueReleasable()} turns false, and a test notices).
 */
final class VertxInternals {
  private static final System.Logger LOG = System.getLogger(VertxInternals.class.getName());
  private static final Field FACTORY = factoryField();
  private static final Function<ChannelHandlerContext, ?> SPENT =
      ctx -> {
        throw new IllegalStateException("the WebSocket connection was already created");
      };

  private VertxInternals() {}

  /** The Netty handler context of the WebSocket's connection (for its pipeline and channel). */
  static ChannelHandlerContext channelContext(ServerWebSocket ws) {
    return ((WebSocketInternal) ws).channelHandlerContext();
  }

  /** The Netty channel of an HTTP connection (before any WebSocket upgrade). */
  static Channel channel(HttpConnection connection) {
    return ((ConnectionBase) connection).channel();
  }

  /** Whether this Vert.x version has the field this class clears. */
  static boolean upgradeResidueReleasable() {
    return FACTORY != null;
  }

  /**
   * Drops the spent connection factory of the pipeline's Vert.x handler; call once the WebSocket
   * connection exists (in the WebSocket handler).
   *
   * @return whether a factory was dropped
   */
  static boolean releaseUpgradeResidue(ChannelPipeline pipeline) {
    VertxHandler<?> handler = pipeline.get(VertxHandler.class);
    if (FACTORY == null || handler == null || handler.getConnection() == null) {
      return false;
    }
    try {
      FACTORY.set(handler, SPENT);
      return true;
    } catch (IllegalAccessException | RuntimeException e) {
      LOG.log(Level.DEBUG, "cannot drop the upgrade's connection factory: " + e.getClass());
      return false;
    }
  }

  private static Field factoryField() {
    try {
      Field f = VertxHandler.class.getDeclaredField("connectionFactory");
      if (f.getType() != Function.class) {
        return null;
      }
      f.setAccessible(true);
      return f;
    } catch (NoSuchFieldException | RuntimeException e) {
      LOG.log(
          Level.INFO,
          "this Vert.x keeps the HTTP upgrade state of each WebSocket: " + e.getClass().getName());
      return null;
    }
  }
}
