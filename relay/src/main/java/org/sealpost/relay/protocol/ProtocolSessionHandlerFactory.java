package org.sealpost.relay.protocol;

import java.security.SecureRandom;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.sealpost.proto.codec.BlockCodec;
import org.sealpost.proto.crypto.DeliveryCipher;
import org.sealpost.proto.crypto.X25519KeyPair;
import org.sealpost.proto.v1.RelayHello;
import org.sealpost.relay.config.PowSettings;
import org.sealpost.relay.crypto.RelayKeySuccessor;
import org.sealpost.relay.delivery.DeliverySchedule;
import org.sealpost.relay.delivery.SubscriptionHub;
import org.sealpost.relay.queue.QueueService;
import org.sealpost.relay.transport.Session;
import org.sealpost.relay.transport.SessionHandler;
import org.sealpost.relay.transport.SessionHandlerFactory;

/**
 * Creates a {@link ProtocolSessionHandler} per connection and holds what all sessions share: the
 * relay's static key, the command path, the subscription hub, the codecs and the metrics. Safe to
 * use from every listener instance.
 */
public final class ProtocolSessionHandlerFactory implements SessionHandlerFactory {
  private final ProtocolSettings settings;
  private final X25519KeyPair relayKey;
  private final SecureRandom random;
  private final QueueService queues;
  private final SubscriptionHub hub;
  private final ProtocolMetrics metrics;
  private final LongSupplier nanoClock;
  private final BlockCodec handshakeCodec;
  private final BlockCodec transportCodec;
  private final DeliveryCipher deliveryCipher;
  private final RelayHello relayHello;
  private final Forwarding forwarding;
  private final DeliverySchedule schedule;
  private final long constantRateMillis;
  // issue 12: proof of work and a per-connection cap for CreateQueue; set before serving
  private volatile CreatePowGate createPow = CreatePowGate.off();
  private volatile int createMaxPerConnection;
  // issue 12: the announced successor of the relay key, or null
  private volatile RelayKeySuccessor successor;

  /**
   * @param settings the session limits
   * @param relayKey the relay's static Noise key pair (shared, never destroyed by a session)
   * @param random source of the sessions' ephemeral keys
   * @param queues the command path
   * @param hub the subscription registry and its events (the same hub the command path notifies)
   * @param metrics the protocol meters
   * @param nanoClock monotonic time for rate limits ({@code System::nanoTime})
   */
  public ProtocolSessionHandlerFactory(
      ProtocolSettings settings,
      X25519KeyPair relayKey,
      SecureRandom random,
      QueueService queues,
      SubscriptionHub hub,
      ProtocolMetrics metrics,
      LongSupplier nanoClock) {
    this(
        settings,
        relayKey,
        random,
        queues,
        hub,
        metrics,
        nanoClock,
        Forwarding.disabled(),
        DeliverySchedule.immediate(),
        0);
  }

  /**
   * The relay's own form, with its features as configured.
   *
   * @param forwarding the first relay's pool and the destination's replay memory (issue 11)
   * @param schedule when stored envelopes may be delivered (issue 10)
   * @param constantRateMillis T of constant-rate sessions (issue 10), 0 = off
   */
  public ProtocolSessionHandlerFactory(
      ProtocolSettings settings,
      X25519KeyPair relayKey,
      SecureRandom random,
      QueueService queues,
      SubscriptionHub hub,
      ProtocolMetrics metrics,
      LongSupplier nanoClock,
      Forwarding forwarding,
      DeliverySchedule schedule,
      long constantRateMillis) {
    this.forwarding = Objects.requireNonNull(forwarding, "forwarding");
    this.schedule = Objects.requireNonNull(schedule, "schedule");
    this.constantRateMillis = constantRateMillis;
    this.settings = Objects.requireNonNull(settings, "settings");
    this.relayKey = Objects.requireNonNull(relayKey, "relayKey");
    this.random = Objects.requireNonNull(random, "random");
    this.queues = Objects.requireNonNull(queues, "queues");
    this.hub = Objects.requireNonNull(hub, "hub");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    this.handshakeCodec = BlockCodec.handshake(settings.blockSize());
    this.transportCodec =
        BlockCodec.transport(settings.blockSize()).withMaxFrames(settings.maxFramesPerBlock());
    this.deliveryCipher = new DeliveryCipher(settings.envelopeSize());
    this.relayHello =
        RelayHello.newBuilder()
            .setVersion(HandshakeStage.VERSION)
            .setBlockSize(settings.blockSize())
            .setEnvelopeSize(settings.envelopeSize())
            .setMaxWindow(settings.maxWindow())
            .setMaxFramesPerBlock(transportCodec.maxFrames())
            .setMaxQueuesPerSession(settings.maxQueuesPerSession())
            .setCreationTokenRequired(settings.createToken().isPresent())
            .setMaxOutstanding(settings.maxOutstanding())
            .setMaxBlocksPerSession(settings.maxBlocksPerSession())
            .setMaxQueueMessages(settings.maxQueueMessages())
            .setMessageTtlSeconds(settings.messageTtlSeconds())
            .setIdleTimeoutSeconds(settings.idleTimeoutSeconds())
            .setForwardSupported(forwarding.enabled())
            .setCircuitsSupported(forwarding.enabled())
            .build();
  }

  @Override
  public SessionHandler create(Session session) {
    return new ProtocolSessionHandler(session, this);
  }

  /** The RelayHello every session gets (handshake message 2), before its proof-of-work field. */
  public RelayHello relayHello() {
    return relayHello;
  }

  // issue 12: proof of work and a per-connection cap for CreateQueue
  /**
   * Makes CreateQueue ask for proof of work as {@code pow} says, and refuse more than {@code
   * maxPerConnection} queues per connection (0 = no cap); call before serving.
   */
  public ProtocolSessionHandlerFactory withCreateLimits(PowSettings pow, int maxPerConnection) {
    if (maxPerConnection < 0) {
      throw new IllegalArgumentException("maxPerConnection must not be negative");
    }
    this.createPow = new CreatePowGate(pow, nanoClock);
    this.createMaxPerConnection = maxPerConnection;
    return this;
  }

  // issue 12: relay-key rotation (protocol §4.2.1)
  /**
   * Serves {@code successor} besides the current key and announces it to sessions made with the
   * current key; empty = no rotation. Call before serving.
   */
  public ProtocolSessionHandlerFactory withSuccessor(Optional<RelayKeySuccessor> successor) {
    this.successor = successor.orElse(null);
    return this;
  }

  /** The announced successor, or null. */
  RelayKeySuccessor successor() {
    return successor;
  }

  // issue 13: small replies wait a bounded time for company (Outbox)
  private long coalesceMillis;

  /**
   * How long a block of replies that is mostly padding may wait for more (issue 13); 0, the
   * default, sends it at the end of the task.
   */
  public ProtocolSessionHandlerFactory withCoalescing(long millis) {
    if (millis < 0) {
      throw new IllegalArgumentException("coalescing delay must not be negative");
    }
    this.coalesceMillis = millis;
    return this;
  }

  long coalesceMillis() {
    return coalesceMillis;
  }

  CreatePowGate createPow() {
    return createPow;
  }

  int createMaxPerConnection() {
    return createMaxPerConnection;
  }

  ProtocolSettings settings() {
    return settings;
  }

  X25519KeyPair relayKey() {
    return relayKey;
  }

  SecureRandom random() {
    return random;
  }

  QueueService queues() {
    return queues;
  }

  SubscriptionHub hub() {
    return hub;
  }

  ProtocolMetrics metrics() {
    return metrics;
  }

  LongSupplier nanoClock() {
    return nanoClock;
  }

  BlockCodec handshakeCodec() {
    return handshakeCodec;
  }

  BlockCodec transportCodec() {
    return transportCodec;
  }

  Forwarding forwarding() {
    return forwarding;
  }

  DeliveryCipher deliveryCipher() {
    return deliveryCipher;
  }

  DeliverySchedule schedule() {
    return schedule;
  }

  long constantRateMillis() {
    return constantRateMillis;
  }
}
