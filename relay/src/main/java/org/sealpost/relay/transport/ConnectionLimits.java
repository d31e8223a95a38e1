package org.sealpost.relay.transport;

import org.sealpost.relay.config.RelayConfig;

/**
 * Per-connection bounds derived from the configuration.
 *
 * @param blockSize B
 * @param handshakeDeadlineMillis time allowed until the handler reports a completed handshake
 * @param idleTimeoutMillis time allowed between two inbound blocks
 * @param maxOutboundBlocks blocks waiting to be written before the connection is dropped
 * @param maxOutstandingCommands commands in flight before reading pauses
 */
record ConnectionLimits(
    int blockSize,
    long handshakeDeadlineMillis,
    long idleTimeoutMillis,
    int maxOutboundBlocks,
    int maxOutstandingCommands) {

  static ConnectionLimits of(RelayConfig config) {
    return new ConnectionLimits(
        config.blockSize(),
        config.handshakeDeadline().toMillis(),
        config.idleTimeout().toMillis(),
        config.maxOutboundBlocks(),
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
