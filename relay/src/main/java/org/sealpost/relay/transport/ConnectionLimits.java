package org.sealpost.relay.transport;

import org.sealpost.relay.config.RelayConfig;

/**
 * Per-connection bounds derived from the configuration.
 *
 * @param blockSize B
 * @param handshakeDeadlineMillis time allowed from the TCP accept until the handler reports a
 *     completed handshake
 * @param idleTimeoutMillis time allowed between two inbound blocks
 * @param maxOutboundBlocks blocks waiting to be written before the connection is dropped
 * @param writeStallTimeoutMillis time output may wait, unwritable, before the connection is dropped
 * @param maxOutstandingCommands commands in flight before reading pauses
 */
record ConnectionLimits(
    int blockSize,
    long handshakeDeadlineMillis,
    long idleTimeoutMillis,
    int maxOutboundBlocks,
    long writeStallTimeoutMillis,
    int maxOutstandingCommands) {

  /**
   * After the relay sends a close frame, the client has this long to answer before the TCP
   * connection is cut: a client that does not read would otherwise hold it (and its buffers) open.
   */
  static final long CLOSE_GRACE_MILLIS = 1000;

  static ConnectionLimits of(RelayConfig config) {
    return new ConnectionLimits(
        config.blockSize(),
        config.handshakeDeadline().toMillis(),
        config.idleTimeout().toMillis(),
        config.maxOutboundBlocks(),
        config.writeStallTimeout().toMillis(),
        config.maxOutstandingCommands());
  }

  /** Reading pauses when half the outbound bound is in use. */
  int pauseOutboundAt() {
    return Math.max(1, maxOutboundBlocks / 2);
  }

  /** Reading resumes when the outbound buffer is back to a quarter. */
  int resumeOutboundAt() {
    return maxOutboundBlocks / 4;
  }
}
