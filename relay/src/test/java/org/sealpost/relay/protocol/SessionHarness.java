package org.sealpost.relay.protocol;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.sealpost.mailbox.QueueId;
import org.sealpost.proto.codec.BlockCodec;
import org.sealpost.proto.crypto.X25519KeyPair;
import org.sealpost.proto.crypto.noise.NoiseInitiator;
import org.sealpost.proto.crypto.noise.NoiseSuite;
import org.sealpost.proto.crypto.noise.NoiseTransport;
import org.sealpost.proto.v1.ClientHello;
import org.sealpost.proto.v1.Frame;
import org.sealpost.relay.config.RelayConfig;
import org.sealpost.relay.delivery.LocalSubscriptionRegistry;
import org.sealpost.relay.delivery.SubscriptionHub;
import org.sealpost.relay.transport.CloseReason;
import org.sealpost.relay.transport.Session;
import org.sealpost.relay.transport.SessionHandler;

/**
 * One protocol session without a socket, in the byte-fed style: a {@link FakeSession} on a real
 * event-loop context, the real {@link ProtocolSessionHandler} behind it, the in-memory {@link
 * FakeQueueService}, and a Noise client that writes real blocks into the handler and decrypts what
 * it sends back.
 */
final class SessionHarness {
  static final int B = 1024;
  private static final SecureRandom RANDOM = new SecureRandom();

  final Context context;
  final ProtocolSettings settings;
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final LocalSubscriptionRegistry<QueueId> subscriptions = new LocalSubscriptionRegistry<>();
  final FakeQueueService queues;
  final FakeSession session;
  final SessionHandler handler;
  private final X25519KeyPair relayKey = X25519KeyPair.generate(RANDOM::nextBytes);
  private final BlockCodec codec = BlockCodec.transport(B);
  private NoiseTransport client;
  private int read;

  SessionHarness(Vertx vertx, Function<ProtocolSettings, ProtocolSettings> tuning) {
    this(vertx, tuning, 0);
  }

  /** With the outbox's coalescing delay (issue 13) set to {@code coalesceMillis}. */
  SessionHarness(
      Vertx vertx, Function<ProtocolSettings, ProtocolSettings> tuning, long coalesceMillis) {
    this.context = vertx.getOrCreateContext();
    RelayConfig config = RelayConfig.defaults();
    ProtocolSettings base = ProtocolSettings.from(config);
    this.settings =
        tuning.apply(
            new ProtocolSettings(
                B,
                BlockCodec.envelopeSize(B),
                base.maxWindow(),
                base.maxFramesPerBlock(),
                base.maxQueuesPerSession(),
                base.maxOutstanding(),
                base.maxBlocksPerSession(),
                base.maxQueueMessages(),
                base.messageTtlSeconds(),
                base.idleTimeoutSeconds(),
                base.createToken(),
                base.createBurst(),
                base.createPerSecond(),
                base.envelopeCredit()));
    SubscriptionHub hub = new SubscriptionHub(subscriptions);
    this.queues = new FakeQueueService(hub, settings.maxQueueMessages());
    ProtocolSessionHandlerFactory factory =
        new ProtocolSessionHandlerFactory(
            settings,
            relayKey,
            RANDOM,
            queues,
            hub,
            new ProtocolMetrics(registry),
            System::nanoTime);
    factory.withCoalescing(coalesceMillis);
    this.session = new FakeSession(context);
    this.handler = onContext(() -> factory.create(session));
  }

  /** Handshake message 1 offering {@code versions}; returns the frame of message 2. */
  Frame handshake(List<Integer> versions) {
    NoiseInitiator initiator =
        new NoiseInitiator(relayKey.publicKey(), B, NoiseSuite.PRODUCTION, RANDOM);
    BlockCodec handshakeCodec = BlockCodec.handshake(B);
    try {
      byte[] hello =
          handshakeCodec.encode(
              Frame.newBuilder()
                  .setClientHello(ClientHello.newBuilder().addAllVersions(versions))
                  .build());
      feed(initiator.writeHandshake1(hello));
      byte[] message2 = session.sent.get(read++);
      Frame reply = handshakeCodec.decode(initiator.readHandshake2(message2)).get(0);
      if (reply.hasRelayHello()) {
        client = initiator.transport();
      }
      return reply;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Completes a handshake offering version 1. */
  SessionHarness connected() {
    if (!handshake(List.of(1)).hasRelayHello()) {
      throw new IllegalStateException("handshake refused");
    }
    return this;
  }

  /** Writes frames as one block, lets the session settle, returns the frames it sent back. */
  List<Frame> exchange(Frame... frames) {
    try {
      feed(client.encrypt(codec.encode(List.of(frames))));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return received();
  }

  /** Writes a block plaintext of B − 16 bytes as it is (for malformed blocks). */
  List<Frame> exchangePlaintext(byte[] plaintext) {
    feed(client.encrypt(plaintext));
    return received();
  }

  /** Writes raw bytes as one WebSocket message. */
  void feed(byte[] message) {
    onContext(
        () -> {
          handler.onBlock(Buffer.buffer(message));
          return null;
        });
    settle();
  }

  /** The frames the relay sent since the last call, decrypted and decoded. */
  List<Frame> received() {
    settle();
    List<Frame> frames = new ArrayList<>();
    while (read < session.sent.size()) {
      try {
        frames.addAll(codec.decode(client.decrypt(session.sent.get(read++))));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    return frames;
  }

  /** Blocks the relay sent so far (the handshake included). */
  int blocksSent() {
    settle();
    return session.sent.size();
  }

  /**
   * Runs the context until it is idle: completions of the command path and the outbox's flush are
   * queued on the context, and each round lets what the last one queued run.
   */
  void settle() {
    for (int i = 0; i < 8; i++) {
      onContext(() -> null);
    }
  }

  <T> T onContext(java.util.concurrent.Callable<T> work) {
    CompletableFuture<T> done = new CompletableFuture<>();
    context.runOnContext(
        v -> {
          try {
            done.complete(work.call());
          } catch (Exception e) {
            done.completeExceptionally(e);
          }
        });
    try {
      return done.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A connection without a socket: records what the handler sends and how it ends. */
  static final class FakeSession implements Session {
    private final Context context;
    final List<byte[]> sent = new java.util.concurrent.CopyOnWriteArrayList<>();
    volatile boolean writable = true;
    volatile CloseReason closed;
    volatile boolean handshakeCompleted;
    volatile int started;
    volatile int finished;
    private Runnable onWritable;

    FakeSession(Context context) {
      this.context = context;
    }

    @Override
    public Context context() {
      return context;
    }

    @Override
    public int blockSize() {
      return B;
    }

    @Override
    public boolean send(Buffer block) {
      if (closed != null) {
        return false;
      }
      sent.add(block.getBytes());
      return true;
    }

    @Override
    public boolean writable() {
      return writable && closed == null;
    }

    @Override
    public int pendingOutboundBlocks() {
      return 0;
    }

    @Override
    public void handshakeCompleted() {
      handshakeCompleted = true;
    }

    @Override
    public void commandsStarted(int count) {
      started += count;
    }

    @Override
    public void commandsFinished(int count) {
      finished += count;
    }

    @Override
    public void writableHandler(Runnable action) {
      onWritable = action;
    }

    /** The connection drained: runs the handler's writable callback on the context. */
    void drain() {
      writable = true;
      Runnable action = onWritable;
      onWritable = null;
      if (action != null) {
        context.runOnContext(v -> action.run());
      }
    }

    @Override
    public void close(CloseReason reason) {
      if (closed == null) {
        closed = reason;
      }
    }

    @Override
    public boolean isOpen() {
      return closed == null;
    }
  }
}
