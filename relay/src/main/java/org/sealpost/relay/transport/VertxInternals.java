package org.sealpost.relay.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ServerChannel;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.http.WebSocketInternal;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.core.net.impl.VertxHandler;
import java.lang.System.Logger.Level;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.function.Function;

/**
 * The relay's only touches of Vert.x-internal API, in one place so that a Vert.x upgrade has one
 * class to check: the Netty channel under a WebSocket or an HTTP connection, and letting go of what
 * the HTTP/1.1 upgrade leaves behind on an accepted WebSocket; and the listening socket of an HTTP
 * server, for {@link HandshakeAdmission}.
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

  /**
   * The Netty listening socket of a bound HTTP server, or null when this Vert.x hides it elsewhere.
   * Vert.x 5.1 keeps it four objects deep (the server, its TCP half, the shared net server, the
   * future of its bind); rather than name each field, this follows the fields of Vert.x's own
   * objects (not the Vert.x instance or contexts, so never into another server) to a bound server
   * channel on the server's port.
   */
  static ServerChannel listeningChannel(HttpServer server) {
    try {
      return find(
          server, server.actualPort(), 6, Collections.newSetFromMap(new IdentityHashMap<>()));
    } catch (RuntimeException e) {
      LOG.log(Level.INFO, "cannot reach the listening socket: " + e.getClass().getName());
      return null;
    }
  }

  private static ServerChannel find(Object o, int port, int depth, Set<Object> seen) {
    if (o instanceof ServerChannel sc) {
      return sc.localAddress() instanceof InetSocketAddress a && a.getPort() == port ? sc : null;
    }
    if (o instanceof Future<?> f) {
      return f.succeeded() ? find(f.result(), port, depth, seen) : null;
    }
    if (o == null
        || depth == 0
        || o instanceof Vertx
        || o instanceof Context
        || !o.getClass().getName().startsWith("io.vertx.core.")
        || !seen.add(o)) {
      return null;
    }
    for (Class<?> c = o.getClass();
        c != null && c.getName().startsWith("io.vertx.");
        c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) {
          continue;
        }
        try {
          f.setAccessible(true);
          ServerChannel found = find(f.get(o), port, depth - 1, seen);
          if (found != null) {
            return found;
          }
        } catch (IllegalAccessException | RuntimeException e) {
          // not reachable here: try the next field
        }
      }
    }
    return null;
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
