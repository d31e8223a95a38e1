package org.sealpost.client.internal;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Which event loop a new connection runs on (issue 13). A connection opened on one of the client's
 * Vert.x contexts stays on it, so a verticle's callbacks keep to its own thread. A connection
 * opened from any other thread gets an event loop of its own, the next one in turn: Vert.x 5 gives
 * every context created from the same plain thread the same event loop, so a program that opened
 * many connections from its main thread ran all their TLS, Noise and framing on one core.
 */
public final class ConnectionContexts {
  private ConnectionContexts() {}

  /** The context for a connection being opened now, on the calling thread, with {@code vertx}. */
  public static Context forNewConnection(Vertx vertx) {
    Context current = Vertx.currentContext();
    if (current != null && current.owner() == vertx) {
      return current;
    }
    return VertxInternals.newEventLoopContext(vertx);
  }
}
