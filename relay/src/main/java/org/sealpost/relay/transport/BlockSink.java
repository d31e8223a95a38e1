package org.sealpost.relay.transport;

import io.vertx.core.buffer.Buffer;

/**
 * The outbound side of one connection. Call it only on the connection's context ({@link
 * Session#context()}): blocks go out in call order, which is what keeps Noise nonces in wire order.
 */
public interface BlockSink {
  /** B: every block sent must have exactly this many bytes. */
  int blockSize();

  /**
   * Queues one block as one binary WebSocket message.
   *
   * @return false if the connection is closed, or has just been dropped because its client stopped
   *     reading and its outbound buffer passed {@code connection.max-outbound-blocks}
   * @throws IllegalArgumentException if the block is not exactly {@link #blockSize()} bytes
   * @throws IllegalStateException if called off the connection's context
   */
  boolean send(Buffer block);

  /**
   * Whether optional output (pushes) should be produced now: false once half of the outbound bound
   * is in use. A producer that sees false waits for {@link Session#writableHandler(Runnable)}.
   */
  boolean writable();

  /** Blocks accepted by {@link #send} and not yet written to the socket; never above the bound. */
  int pendingOutboundBlocks();
}
