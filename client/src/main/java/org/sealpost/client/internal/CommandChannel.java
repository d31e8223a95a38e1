package org.sealpost.client.internal;

import io.vertx.core.Future;
import org.sealpost.client.RelayInfo;
import org.sealpost.proto.v1.Frame;

/**
 * What the connection's parts (subscriptions, deliveries, commands) need of an open session: a way
 * to send a command and wait for its reply, the handshake hash that MACs bind to, and the relay's
 * promises. {@link ClientSession} is the real one; tests use a fake that records commands.
 */
interface CommandChannel {
  /**
   * Sends a command; completes with the relay's reply, or fails with a {@link
   * org.sealpost.client.SealpostException} (an Error reply, a timeout, a lost connection). Frames
   * requested in one event-loop task share blocks.
   */
  Future<Frame> request(Frame.Builder command, String operation);

  /**
   * Sends a command that gets no reply (an unanswered Ack, protocol §4.5, issue 13): it goes with
   * corr_id 0 in the next block, held back at most {@link
   * org.sealpost.client.ClientOptions#ackHold} so that several share a block. Completes once
   * queued; fails only if the session is closed.
   */
  Future<Void> post(Frame.Builder command);

  /** The Noise handshake hash h that recipient-command MACs bind to (a copy). */
  byte[] handshakeHash();

  /** The relay's promises for this session. */
  RelayInfo info();
}
