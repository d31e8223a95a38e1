package org.sealpost.relay.protocol;

import java.util.Objects;
import java.util.Optional;
import org.sealpost.proto.codec.BlockCodec;
import org.sealpost.relay.config.RelayConfig;
import org.sealpost.relay.config.Secret;
import org.sealpost.relay.delivery.DeliveryLimits;

/**
 * The per-session limits of protocol v1, most of them announced to the client in RelayHello.
 *
 * @param blockSize B
 * @param envelopeSize E = B − 512
 * @param maxWindow unacknowledged pushes per subscription
 * @param maxFramesPerBlock frames accepted in one client block; a block with more is closed on
 * @param maxQueuesPerSession queues one session may subscribe to or Get from
 * @param maxOutstanding unanswered commands per session; beyond it commands get Error{RATE}
 * @param maxBlocksPerSession blocks in either direction before the relay ends the session
 * @param maxQueueMessages stored envelopes per queue (announced; enforced by the store)
 * @param messageTtlSeconds envelope lifetime (announced; enforced by the store)
 * @param idleTimeoutSeconds silent sessions are closed after this (announced; enforced by the
 *     listener)
 * @param createToken operator token CreateQueue must carry, if any
 * @param createBurst CreateQueue commands a session may send at once ({@code queue.create-burst})
 * @param createPerSecond sustained CreateQueue rate of one session ({@code queue.create-rate})
 * @param envelopeCredit envelope blocks (pushes, Get replies) a session may have read from the
 *     store and not yet written; keeps a session well below the connection's outbound bound
 */
public record ProtocolSettings(
    int blockSize,
    int envelopeSize,
    int maxWindow,
    int maxFramesPerBlock,
    int maxQueuesPerSession,
    int maxOutstanding,
    long maxBlocksPerSession,
    int maxQueueMessages,
    int messageTtlSeconds,
    int idleTimeoutSeconds,
    Optional<Secret> createToken,
    int createBurst,
    double createPerSecond,
    int envelopeCredit) {

  /**
   * Frames per client block. A block of 16 KiB holds about 200 Subscribe commands; 256 leaves room
   * for a full block of Subscribes or Acks while bounding the work one block can cause.
   */
  public static final int DEFAULT_MAX_FRAMES_PER_BLOCK = 256;

  /** Enough for a client that resubscribes tens of thousands of queues on one session. */
  public static final int DEFAULT_MAX_QUEUES_PER_SESSION = 65_536;

  /** Far below the Noise nonce limit; a reconnect costs one handshake. */
  public static final long DEFAULT_MAX_BLOCKS_PER_SESSION = 1L << 32;

  public ProtocolSettings {
    BlockCodec.checkBlockSize(blockSize);
    Objects.requireNonNull(createToken, "createToken");
    if (envelopeSize != BlockCodec.envelopeSize(blockSize)) {
      throw new IllegalArgumentException("envelope size must be B - 512");
    }
    if (maxWindow < 1
        || maxFramesPerBlock < 1
        || maxQueuesPerSession < 1
        || maxOutstanding < 1
        || maxBlocksPerSession < 2
        || createBurst < 1
        || envelopeCredit < 1
        || !(createPerSecond > 0)) {
      throw new IllegalArgumentException("protocol limits must be positive");
    }
  }

  /** The settings a relay with this configuration runs with. */
  public static ProtocolSettings from(RelayConfig config) {
    return new ProtocolSettings(
        config.blockSize(),
        config.envelopeSize(),
        config.deliveryWindow(),
        DEFAULT_MAX_FRAMES_PER_BLOCK,
        DEFAULT_MAX_QUEUES_PER_SESSION,
        config.maxOutstandingCommands(),
        DEFAULT_MAX_BLOCKS_PER_SESSION,
        config.queueQuota(),
        saturatedSeconds(config.queueTtl().getSeconds()),
        saturatedSeconds(config.idleTimeout().getSeconds()),
        config.createToken(),
        config.queueCreateBurst(),
        config.queueCreateRate(),
        // reading pauses at half the outbound bound: a quarter leaves room for small replies
        Math.max(1, config.maxOutboundBlocks() / 4));
  }

  /** A copy with another CreateQueue rate limit. */
  public ProtocolSettings withCreateRate(int burst, double perSecond) {
    return new ProtocolSettings(
        blockSize,
        envelopeSize,
        maxWindow,
        maxFramesPerBlock,
        maxQueuesPerSession,
        maxOutstanding,
        maxBlocksPerSession,
        maxQueueMessages,
        messageTtlSeconds,
        idleTimeoutSeconds,
        createToken,
        burst,
        perSecond,
        envelopeCredit);
  }

  /** A copy with another bound on blocks per session. */
  public ProtocolSettings withMaxBlocksPerSession(long blocks) {
    return new ProtocolSettings(
        blockSize,
        envelopeSize,
        maxWindow,
        maxFramesPerBlock,
        maxQueuesPerSession,
        maxOutstanding,
        blocks,
        maxQueueMessages,
        messageTtlSeconds,
        idleTimeoutSeconds,
        createToken,
        createBurst,
        createPerSecond,
        envelopeCredit);
  }

  /** Envelopes one push read asks for: a quarter of the credit, so reads of queues interleave. */
  public int envelopesPerRead() {
    return Math.max(1, envelopeCredit / 4);
  }

  private static int saturatedSeconds(long seconds) {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(0, seconds));
  }

  /** The limits of one session's delivery. */
  public DeliveryLimits deliveryLimits() {
    return new DeliveryLimits(
        envelopeSize,
        maxWindow,
        maxQueuesPerSession,
        maxQueueMessages,
        envelopesPerRead(),
        envelopeCredit);
  }
}
