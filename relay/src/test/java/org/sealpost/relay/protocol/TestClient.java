package org.sealpost.relay.protocol;

import com.google.protobuf.ByteString;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.sealpost.proto.codec.BlockCodec;
import org.sealpost.proto.codec.BlockException;
import org.sealpost.proto.crypto.CommandMac;
import org.sealpost.proto.crypto.CryptoException;
import org.sealpost.proto.crypto.DeliveryCipher;
import org.sealpost.proto.crypto.QueueKeys;
import org.sealpost.proto.crypto.RandomSource;
import org.sealpost.proto.crypto.X25519KeyPair;
import org.sealpost.proto.crypto.noise.NoiseInitiator;
import org.sealpost.proto.crypto.noise.NoiseSuite;
import org.sealpost.proto.crypto.noise.NoiseTransport;
import org.sealpost.proto.v1.Ack;
import org.sealpost.proto.v1.ClientHello;
import org.sealpost.proto.v1.CreateQueue;
import org.sealpost.proto.v1.ErrorCode;
import org.sealpost.proto.v1.Frame;
import org.sealpost.proto.v1.Message;
import org.sealpost.proto.v1.QueueCreated;
import org.sealpost.proto.v1.RecipientCommand;
import org.sealpost.proto.v1.RecipientOp;
import org.sealpost.proto.v1.RelayHello;
import org.sealpost.proto.v1.Send;

/**
 * An independent protocol v1 client for the relay's tests, built only from the proto module
 * (NoiseInitiator, BlockCodec, the crypto constructions) and a Vert.x WebSocket client. Blocking
 * calls are made from the test thread; replies are matched by corr_id, everything with corr_id 0 is
 * a push.
 */
final class TestClient implements AutoCloseable {
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** What a recipient keeps about one queue. */
  record QueueCreds(byte[] recipientId, byte[] senderId, byte[] deliveryKey, byte[] macKey) {
    ByteString recipientIdBytes() {
      return ByteString.copyFrom(recipientId);
    }
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  private final WebSocketClient wsClient;
  private final WebSocket ws;
  private final int blockSize;
  private final BlockCodec codec;
  private final NoiseTransport transport;
  private final RelayHello hello;
  private final byte[] handshakeHash;
  private final AtomicInteger corr = new AtomicInteger();
  private final Map<Integer, CompletableFuture<Frame>> pending = new ConcurrentHashMap<>();
  private final LinkedBlockingQueue<Frame> pushes = new LinkedBlockingQueue<>();
  private final CompletableFuture<Void> closed;
  private final AtomicInteger blocksReceived = new AtomicInteger();
  // issue 13: what coalescing tests check on the wire
  private final List<Integer> messageLengths = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final List<Integer> replyOrder = new java.util.concurrent.CopyOnWriteArrayList<>();

  private TestClient(
      WebSocketClient wsClient,
      WebSocket ws,
      int blockSize,
      NoiseTransport transport,
      RelayHello hello,
      CompletableFuture<Void> closed) {
    this.wsClient = wsClient;
    this.ws = ws;
    this.blockSize = blockSize;
    // a well-behaved client packs no more frames into a block than the relay accepts
    this.codec = BlockCodec.transport(blockSize).withMaxFrames(hello.getMaxFramesPerBlock());
    this.transport = transport;
    this.hello = hello;
    this.handshakeHash = transport.handshakeHash();
    this.closed = closed;
    // a reply that can no longer come fails at once, naming the close, instead of timing out
    closed.whenComplete((v, e) -> failPending());
  }

  private void failPending() {
    String why =
        "connection closed before the reply (WebSocket close "
            + ws.closeStatusCode()
            + " "
            + ws.closeReason()
            + ")";
    for (Integer corr : List.copyOf(pending.keySet())) {
      CompletableFuture<Frame> waiter = pending.remove(corr);
      if (waiter != null) {
        waiter.completeExceptionally(new IllegalStateException(why));
      }
    }
  }

  /** An open WebSocket on /v1 without any handshake, for bad-input tests. */
  static RawSocket raw(Vertx vertx, int port) {
    return raw(vertx, port, false);
  }

  /** As {@link #raw(Vertx, int)}, over TLS (trusting the relay's self-signed certificate). */
  static RawSocket raw(Vertx vertx, int port, boolean tls) {
    return raw(vertx, port, tls, null);
  }

  /** As {@link #raw(Vertx, int, boolean)}, from a chosen local address (127.0.0.2, …) if set. */
  static RawSocket raw(Vertx vertx, int port, boolean tls, String localAddress) {
    WebSocketClientOptions options =
        new WebSocketClientOptions().setMaxFrameSize(70_000).setMaxMessageSize(70_000);
    if (localAddress != null) {
      options.setLocalAddress(localAddress);
    }
    if (tls) {
      // the relay is authenticated by its Noise key, not by the certificate
      options.setSsl(true).setTrustAll(true).setVerifyHost(false);
    }
    WebSocketClient client = vertx.createWebSocketClient(options);
    LinkedBlockingQueue<Buffer> inbound = new LinkedBlockingQueue<>();
    CompletableFuture<Void> closed = new CompletableFuture<>();
    WebSocket ws =
        await(
            client.connect(
                new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/v1")));
    RawSocket raw = new RawSocket(client, ws, inbound, closed, new AtomicReference<>(inbound::add));
    // Frames, not messages: the relay sends every block as one final binary frame, and the
    // relay's close frame counts as "closed" (the TCP close follows the closing handshake).
    ws.frameHandler(
        frame -> {
          if (frame.isClose()) {
            closed.complete(null);
          } else if (frame.isBinary()) {
            raw.sink().get().accept(frame.binaryData());
          }
        });
    ws.closeHandler(v -> closed.complete(null));
    return raw;
  }

  /** A raw socket: write any bytes, read any messages. */
  record RawSocket(
      WebSocketClient client,
      WebSocket ws,
      LinkedBlockingQueue<Buffer> inbound,
      CompletableFuture<Void> closed,
      AtomicReference<Consumer<Buffer>> sink) {
    void write(byte[] bytes) {
      await(ws.writeBinaryMessage(Buffer.buffer(bytes)));
    }

    boolean awaitClosed() {
      try {
        closed.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        return true;
      } catch (Exception e) {
        return false;
      }
    }

    Buffer nextMessage() throws InterruptedException {
      return inbound.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    void close() {
      ws.close();
      client.close();
    }
  }

  /** Connects and completes the handshake offering version 1. */
  static TestClient connect(Vertx vertx, int port, byte[] relayKey, int blockSize) {
    return connect(vertx, port, relayKey, blockSize, List.of(1));
  }

  static TestClient connect(
      Vertx vertx, int port, byte[] relayKey, int blockSize, List<Integer> versions) {
    return connect(raw(vertx, port), relayKey, blockSize, versions);
  }

  /** Completes the handshake on an open socket. */
  static TestClient connect(RawSocket raw, byte[] relayKey, int blockSize, List<Integer> versions) {
    NoiseInitiator initiator =
        new NoiseInitiator(relayKey, blockSize, NoiseSuite.PRODUCTION, RANDOM);
    BlockCodec handshakeCodec = BlockCodec.handshake(blockSize);
    try {
      byte[] payload =
          handshakeCodec.encode(
              Frame.newBuilder()
                  .setClientHello(ClientHello.newBuilder().addAllVersions(versions))
                  .build());
      raw.write(initiator.writeHandshake1(payload));
      Buffer message2 = raw.nextMessage();
      if (message2 == null) {
        throw new IllegalStateException("no handshake message 2");
      }
      List<Frame> frames = handshakeCodec.decode(initiator.readHandshake2(message2.getBytes()));
      Frame first = frames.get(0);
      if (first.hasError()) {
        raw.close();
        throw new HandshakeRefused(first.getError().getCode());
      }
      NoiseTransport transport = initiator.transport();
      TestClient client =
          new TestClient(
              raw.client(), raw.ws(), blockSize, transport, first.getRelayHello(), raw.closed());
      // later messages go straight to the client's handler
      raw.sink().set(client::onMessage);
      Buffer early;
      while ((early = raw.inbound().poll()) != null) {
        client.onMessage(early);
      }
      return client;
    } catch (BlockException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Opens a circuit (protocol §11) on an open socket to a first relay and completes the
   * destination's handshake through it; the first relay's refusal is a {@link HandshakeRefused}.
   */
  static TestClient throughCircuit(
      RawSocket raw, byte[] firstKey, int blockSize, String destination, byte[] destinationKey) {
    TestClient first = connect(raw, firstKey, blockSize, List.of(1));
    Frame reply =
        first.call(
            Frame.newBuilder()
                .setCorrId(first.nextCorr())
                .setCircuitOpen(
                    org.sealpost.proto.v1.CircuitOpen.newBuilder().setDestination(destination))
                .build());
    if (reply.hasError()) {
      throw new HandshakeRefused(reply.getError().getCode());
    }
    raw.sink().set(raw.inbound()::add);
    return connect(raw, destinationKey, blockSize, List.of(1));
  }

  /** The relay answered the handshake with an Error frame. */
  static final class HandshakeRefused extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final ErrorCode code;

    HandshakeRefused(ErrorCode code) {
      super("handshake refused: " + code);
      this.code = code;
    }
  }

  private void onMessage(Buffer message) {
    blocksReceived.incrementAndGet();
    messageLengths.add(message.length());
    List<Frame> frames;
    try {
      frames = codec.decode(transport.decrypt(message.getBytes()));
    } catch (BlockException | RuntimeException e) {
      closed.completeExceptionally(e);
      ws.close();
      return;
    }
    for (Frame frame : frames) {
      if (frame.getCorrId() != 0) {
        replyOrder.add(frame.getCorrId());
      }
      CompletableFuture<Frame> waiter =
          frame.getCorrId() == 0 ? null : pending.remove(frame.getCorrId());
      if (waiter != null) {
        waiter.complete(frame);
      } else {
        pushes.add(frame);
      }
    }
  }

  RelayHello hello() {
    return hello;
  }

  byte[] handshakeHash() {
    return handshakeHash.clone();
  }

  int blocksReceived() {
    return blocksReceived.get();
  }

  /** The length of every WebSocket message received after the handshake, in order. */
  List<Integer> messageLengths() {
    return List.copyOf(messageLengths);
  }

  /** The corr_id of every reply received, in the order the frames arrived. */
  List<Integer> replyOrder() {
    return List.copyOf(replyOrder);
  }

  int nextCorr() {
    return corr.incrementAndGet();
  }

  boolean isClosed() {
    return closed.isDone();
  }

  boolean awaitClosed() {
    try {
      closed.handle((v, e) -> null).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  /** Encrypts and writes one block plaintext (B - 16 bytes). */
  synchronized void writePlaintext(byte[] plaintext) {
    ws.writeBinaryMessage(Buffer.buffer(transport.encrypt(plaintext)));
  }

  /** Writes arbitrary bytes as one WebSocket message, bypassing the Noise session. */
  void writeRaw(byte[] bytes) {
    ws.writeBinaryMessage(Buffer.buffer(bytes));
  }

  /** Sends frames packed into as few blocks as they need; returns one future per frame. */
  List<CompletableFuture<Frame>> sendAll(List<Frame> frames) {
    List<CompletableFuture<Frame>> replies = new ArrayList<>();
    for (Frame f : frames) {
      CompletableFuture<Frame> reply = new CompletableFuture<>();
      if (f.getCorrId() != 0) {
        pending.put(f.getCorrId(), reply);
      }
      replies.add(reply);
    }
    if (closed.isDone()) {
      failPending();
    }
    try {
      for (byte[] block : codec.encodeAll(frames)) {
        writePlaintext(block);
      }
    } catch (BlockException e) {
      throw new IllegalStateException(e);
    }
    return replies;
  }

  /** A future for the reply with this corr_id, for frames written by hand. */
  CompletableFuture<Frame> expect(int corrId) {
    CompletableFuture<Frame> reply = new CompletableFuture<>();
    pending.put(corrId, reply);
    if (closed.isDone()) {
      failPending();
    }
    return reply;
  }

  /**
   * Sends many frames, at most {@code window} unanswered at a time (a client keeps below
   * RelayHello.max_outstanding), and returns the replies in order.
   */
  List<Frame> pipeline(List<Frame> frames, int window) {
    List<Frame> replies = new ArrayList<>(frames.size());
    for (int from = 0; from < frames.size(); from += window) {
      List<Frame> chunk = frames.subList(from, Math.min(frames.size(), from + window));
      for (CompletableFuture<Frame> reply : sendAll(chunk)) {
        replies.add(await(reply));
      }
    }
    return replies;
  }

  /** Sends one frame (with a fresh corr_id set by the caller) and waits for its reply. */
  Frame call(Frame frame) {
    return await(sendAll(List.of(frame)).get(0));
  }

  /** The next push, or null after the timeout. */
  Frame nextPush(Duration timeout) throws InterruptedException {
    return pushes.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  int pushesWaiting() {
    return pushes.size();
  }

  // ---- protocol helpers ----

  QueueCreds createQueue() {
    X25519KeyPair recipient = X25519KeyPair.generate(RandomSource.of(RANDOM));
    Frame reply =
        call(
            Frame.newBuilder()
                .setCorrId(nextCorr())
                .setCreateQueue(
                    CreateQueue.newBuilder()
                        .setRecipientDhPublic(ByteString.copyFrom(recipient.publicKey())))
                .build());
    if (!reply.hasQueueCreated()) {
      throw new IllegalStateException("CreateQueue answered " + reply.getBodyCase() + " " + reply);
    }
    return creds(recipient, reply.getQueueCreated());
  }

  static QueueCreds creds(X25519KeyPair recipient, QueueCreated created) {
    try {
      QueueKeys keys =
          QueueKeys.deriveForRecipient(recipient, created.getRelayDhPublic().toByteArray());
      return new QueueCreds(
          created.getRecipientId().toByteArray(),
          created.getSenderId().toByteArray(),
          keys.deliveryKey(),
          keys.macKey());
    } catch (CryptoException e) {
      throw new IllegalStateException(e);
    }
  }

  Frame recipientFrame(QueueCreds queue, RecipientOp op) {
    return recipientFrame(queue.recipientId(), queue.macKey(), op, handshakeHash);
  }

  Frame recipientFrame(byte[] recipientId, byte[] macKey, RecipientOp op, byte[] hash) {
    byte[] command = op.toByteArray();
    byte[] mac = CommandMac.compute(macKey, hash, recipientId, command);
    return Frame.newBuilder()
        .setCorrId(nextCorr())
        .setRecipientCommand(
            RecipientCommand.newBuilder()
                .setRecipientId(ByteString.copyFrom(recipientId))
                .setCommand(ByteString.copyFrom(command))
                .setMac(ByteString.copyFrom(mac)))
        .build();
  }

  Frame sendFrame(byte[] senderId, byte[] envelope, byte[] token) {
    Send.Builder send =
        Send.newBuilder()
            .setSenderId(ByteString.copyFrom(senderId))
            .setEnvelope(ByteString.copyFrom(envelope));
    if (token != null) {
      send.setSendToken(ByteString.copyFrom(token));
    }
    return Frame.newBuilder().setCorrId(nextCorr()).setSend(send).build();
  }

  Frame ackFrame(QueueCreds queue, ByteString messageId) {
    return Frame.newBuilder()
        .setCorrId(nextCorr())
        .setAck(Ack.newBuilder().setRecipientId(queue.recipientIdBytes()).setMessageId(messageId))
        .build();
  }

  /** Decrypts a pushed or fetched envelope with the queue's delivery key. */
  byte[] open(QueueCreds queue, Message message) {
    try {
      return new DeliveryCipher(hello.getEnvelopeSize())
          .decrypt(
              queue.deliveryKey(),
              message.getMessageId().toByteArray(),
              queue.recipientId(),
              message.getEncryptedEnvelope().toByteArray());
    } catch (CryptoException e) {
      throw new IllegalStateException(e);
    }
  }

  byte[] randomEnvelope() {
    byte[] envelope = new byte[hello.getEnvelopeSize()];
    RANDOM.nextBytes(envelope);
    return envelope;
  }

  static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  int blockSize() {
    return blockSize;
  }

  @Override
  public void close() {
    ws.close();
    wsClient.close();
  }

  static <T> T await(io.vertx.core.Future<T> future) {
    try {
      return future
          .toCompletionStage()
          .toCompletableFuture()
          .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
