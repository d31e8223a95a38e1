package org.sealpost.relay.transport;

import io.vertx.core.buffer.Buffer;

/**
 * The protocol logic of one connection, created by a {@link SessionHandlerFactory} when a WebSocket
 * on {@code /v1} is accepted. The relay calls both methods on the connection's context, never
 * concurrently.
 */
public interface SessionHandler {
  /**
   * One inbound block of exactly B bytes, in arrival order (the first one is Noise handshake
   * message 1). The buffer is only valid during the call; copy what must outlive it. A thrown
   * exception closes the connection with {@link CloseReason#INTERNAL_ERROR}.
   */
  void onBlock(Buffer block);

  /** The connection is gone; called exactly once. Release subscriptions and keys here. */
  void onClose(CloseReason reason);
}
