package org.sealpost.client.internal;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.sealpost.client.ClientError;
import org.sealpost.client.ClientOptions;
import org.sealpost.client.SealpostException;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.proto.v1.Frame;

/**
 * The connection's state machine: no session, connecting, open, closed for good. Opens a {@link
 * ClientSession} when a command needs one and, when an open session ends while something still
 * needs the connection, reconnects by itself with {@link Backoff}. Confined to one context.
 */
final class SessionKeeper {
  /** What the connection does with its sessions, on the context. */
  interface Events {
    /** A new session completed its handshake. */
    void opened(ClientSession s);

    /** Session {@code s} received a push. */
    void push(ClientSession s, Frame frame);

    /** The current session ended. */
    void ended();
  }

  private final Vertx vertx;
  private final WebSocketClient client;
  private final Context context;
  private RelayAddress relay; // issue 12: replaced by an announced successor (repin)
  private final RelayAddress via; // issue 11: first relay of a circuit, or null
  private final ClientOptions options;
  private final Events events;
  private final BooleanSupplier needed;
  private final Backoff backoff;

  private ClientSession session;
  private Future<ClientSession> connecting;
  private boolean closed;
  private long reconnectTimer = -1;

  /**
   * @param needed whether a lost session should be replaced without a command asking for one (the
   *     connection has subscriptions)
   */
  SessionKeeper(
      Vertx vertx,
      WebSocketClient client,
      Context context,
      RelayAddress relay,
      ClientOptions options,
      Events events,
      BooleanSupplier needed,
      RelayAddress via) {
    this.via = via;
    this.vertx = vertx;
    this.client = client;
    this.context = context;
    this.relay = relay;
    this.options = options;
    this.events = events;
    this.needed = needed;
    this.backoff =
        new Backoff(
            options.reconnectMinDelay(),
            options.reconnectMaxDelay(),
            new TimingDraws(options.random()));
  }

  /** The open session, or the one being opened, or a new one. */
  Future<ClientSession> session() {
    if (closed) {
      return Future.failedFuture(
          new SealpostException(ClientError.CLOSED, "connection to " + relay + " was closed"));
    }
    if (session != null && session.isOpen()) {
      return Future.succeededFuture(session);
    }
    if (connecting != null) {
      return connecting;
    }
    AtomicReference<ClientSession> self = new AtomicReference<>();
    ClientSession.Listener listener =
        new ClientSession.Listener() {
          @Override
          public void onPush(Frame frame) {
            events.push(self.get(), frame);
          }

          @Override
          public void onClosed(SealpostException cause) {
            sessionClosed(self.get());
          }
        };
    connecting =
        ClientSession.open(vertx, client, context, relay, options, listener, via)
            .andThen(
                ar -> {
                  connecting = null;
                  if (ar.succeeded()) {
                    self.set(ar.result());
                    sessionOpened(ar.result());
                  } else {
                    attemptFailed();
                  }
                });
    return connecting;
  }

  /**
   * Whether a lost session is being replaced by itself: the connection is still needed and may
   * reconnect ({@link #attemptFailed} keeps trying until an attempt succeeds or it is closed).
   */
  boolean reconnecting() {
    return !closed && options.reconnect() && needed.getAsBoolean();
  }

  /** issue 12: the sessions opened from now on pin {@code successor}. */
  void repin(RelayAddress successor) {
    relay = successor;
  }

  /** Closes the session and opens none again. */
  void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (reconnectTimer >= 0) {
      vertx.cancelTimer(reconnectTimer);
    }
    if (session != null) {
      session.close();
    }
  }

  private void sessionOpened(ClientSession s) {
    if (closed) {
      s.close();
      return;
    }
    session = s;
    backoff.reset();
    events.opened(s);
  }

  private void sessionClosed(ClientSession s) {
    if (s != session) {
      return;
    }
    session = null;
    events.ended();
    if (!closed && options.reconnect() && needed.getAsBoolean()) {
      scheduleReconnect();
    }
  }

  private void scheduleReconnect() {
    reconnectTimer =
        vertx.setTimer(
            backoff.nextDelayMillis(),
            id -> {
              reconnectTimer = -1;
              if (closed || !needed.getAsBoolean() || session != null || connecting != null) {
                return;
              }
              session(); // a failure schedules the next attempt (attemptFailed)
            });
  }

  /**
   * A connection attempt failed, whoever asked for it (a command, {@code whenSubscribed}, the
   * reconnect timer): while the connection is still needed, the next attempt is scheduled unless
   * one already is. Before issue 11 only the timer's own attempts were retried, so an attempt a
   * command started while the timer waited (the timer then saw it under way and stood down) ended
   * the reconnecting for good when it failed.
   */
  private void attemptFailed() {
    if (!closed
        && options.reconnect()
        && session == null
        && reconnectTimer < 0
        && needed.getAsBoolean()) {
      scheduleReconnect();
    }
  }
}
