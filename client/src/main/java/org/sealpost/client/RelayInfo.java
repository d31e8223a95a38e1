package org.sealpost.client;

import org.sealpost.proto.v1.RelayHello;

/**
 * What the relay promised for one session in its RelayHello (docs/protocol.md §2, §4).
 *
 * @param version the protocol version chosen
 * @param blockSize B
 * @param envelopeSize E
 * @param maxWindow unacknowledged pushes per subscription
 * @param maxFramesPerBlock frames the relay accepts in one block (0 = as many as fit)
 * @param maxQueuesPerSession subscriptions one session may hold (0 = no limit announced)
 * @param creationTokenRequired CreateQueue needs an operator token
 * @param maxOutstanding unanswered commands before the relay refuses more (0 = none announced)
 * @param maxBlocksPerSession the relay closes the session after this many blocks (0 = none)
 * @param maxQueueMessages envelopes stored per queue before {@code QUOTA}
 * @param messageTtlSeconds an unacknowledged envelope expires after this
 * @param idleTimeoutSeconds a silent session is closed after this (0 = none)
 * @param forwardSupported the relay accepts Forward
 * @param createPowBits CreateQueue on this session needs a proof of work of this many bits (0 =
 *     none); the library solves it by itself (protocol §4.3.1)
 * @param circuitsSupported the relay accepts CircuitOpen, i.e. can be the first relay of a two-hop
 *     receive (protocol §11); informative: a relay that says false answers CircuitOpen with an
 *     error
 */
public record RelayInfo(
    int version,
    int blockSize,
    int envelopeSize,
    int maxWindow,
    int maxFramesPerBlock,
    int maxQueuesPerSession,
    boolean creationTokenRequired,
    int maxOutstanding,
    long maxBlocksPerSession,
    int maxQueueMessages,
    int messageTtlSeconds,
    int idleTimeoutSeconds,
    boolean forwardSupported,
    // issue 12
    int createPowBits,
    // issue 11
    boolean circuitsSupported) {

  /** Copies a RelayHello; unsigned fields larger than an int are clamped. */
  public static RelayInfo of(RelayHello hello) {
    return new RelayInfo(
        hello.getVersion(),
        hello.getBlockSize(),
        hello.getEnvelopeSize(),
        clamp(hello.getMaxWindow()),
        clamp(hello.getMaxFramesPerBlock()),
        clamp(hello.getMaxQueuesPerSession()),
        hello.getCreationTokenRequired(),
        clamp(hello.getMaxOutstanding()),
        hello.getMaxBlocksPerSession(),
        clamp(hello.getMaxQueueMessages()),
        clamp(hello.getMessageTtlSeconds()),
        clamp(hello.getIdleTimeoutSeconds()),
        hello.getForwardSupported(),
        clamp(hello.getCreatePowBits()),
        hello.getCircuitsSupported());
  }

  private static int clamp(int unsigned) {
    return unsigned < 0 ? Integer.MAX_VALUE : unsigned;
  }
}
