package org.sealpost.client.internal;

import io.netty.handler.ssl.SslHandler;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.internal.http.WebSocketInternal;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLException;
import org.sealpost.client.ClientError;
import org.sealpost.client.ClientOptions;
import org.sealpost.client.RelayInfo;
import org.sealpost.client.SealpostException;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.proto.address.Transport;
import org.sealpost.proto.codec.BlockCodec;
import org.sealpost.proto.codec.BlockException;
import org.sealpost.proto.codec.TlsRecordAlignment;
import org.sealpost.proto.crypto.noise.NoiseException;
import org.sealpost.proto.crypto.noise.NoiseInitiator;
import org.sealpost.proto.crypto.noise.NoiseSuite;
import org.sealpost.proto.v1.ClientHello;
import org.sealpost.proto.v1.Frame;
import org.sealpost.proto.v1.Ping;
import org.sealpost.proto.v1.Pong;
import org.sealpost.proto.v1.RelayHello;

/**
 * One WebSocket to one relay carrying one Noise NK session (docs/protocol.md §2–4): the handshake,
 * fixed-size B-byte blocks both ways, client-chosen correlation IDs with a map of pending replies,
 * outgoing frames batched into as few blocks as they need per event-loop task, a bound on commands
 * in flight (RelayHello.max_outstanding), request timeouts and a Ping keepalive.
 *
 * <p>Every field is confined to the session's {@link Context}: all methods except {@link #open}
 * must run on it. Noise nonces therefore advance in the order blocks hit the socket.
 */
final class ClientSession {
  /** Events of an open session, delivered on its context. */
  interface Listener {
    /** A frame the relay sent on its own (corr_id 0): Message, End, QuotaReached. */
    void onPush(Frame frame);

    /** The session is over, for whatever reason; called once, only after a successful open. */
    void onClosed(SealpostException cause);
  }

  static final int PROTOCOL_VERSION = 1;
  private static final short NORMAL_CLOSE = 1000;
  private static final long SWEEP_MS = 250;

  private final Vertx vertx;
  private final Context context;
  private final RelayAddress address;
  private final ClientOptions options;
  private final String relayName;
  private final Listener listener;
  private final Promise<ClientSession> opening = Promise.promise();
  private final Map<Integer, Pending> pending = new HashMap<>();
  private final ArrayDeque<Pending> waiting = new ArrayDeque<>();

  private WebSocket ws;
  private NoiseInitiator initiator;
  private org.sealpost.proto.crypto.noise.NoiseTransport transport;
  private byte[] handshakeHash;
  private RelayInfo info;
  private BlockCodec inbound;
  private FrameBatcher batcher;
  private int nextCorrId = 1;
  private boolean flushScheduled;
  private boolean closed;
  private SealpostException closeCause;
  private long handshakeTimer = -1;
  private long sweepTimer = -1;
  private long pingTimer = -1;
  private long coverTimer = -1;

  private record Pending(
      int corrId, Frame frame, Promise<Frame> promise, long deadlineNanos, String operation) {}

  private ClientSession(
      Vertx vertx,
      Context context,
      RelayAddress address,
      ClientOptions options,
      Listener listener) {
    this.vertx = vertx;
    this.context = context;
    this.address = address;
    this.options = options;
    this.relayName = address.toString();
    this.listener = listener;
  }

  /**
   * Connects, upgrades to a WebSocket on {@code /v1} and runs the Noise handshake, all on {@code
   * context}. The future fails with a {@link SealpostException} whose code says which step failed.
   */
  static Future<ClientSession> open(
      Vertx vertx,
      WebSocketClient client,
      Context context,
      RelayAddress address,
      ClientOptions options,
      Listener listener) {
    ClientSession session = new ClientSession(vertx, context, address, options, listener);
    context.runOnContext(v -> session.start(client));
    return session.opening.future();
  }

  private void start(WebSocketClient client) {
    long connectMs = options.connectTimeout().toMillis();
    WebSocketConnectOptions connect =
        new WebSocketConnectOptions()
            .setHost(address.host())
            .setPort(address.port())
            .setURI("/v1")
            .setSsl(address.transport() == Transport.TLS)
            .setConnectTimeout(connectMs)
            .setTimeout(connectMs);
    client
        .connect(connect)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                fatal(connectFailure(ar.cause()));
              } else {
                onOpen(ar.result());
              }
            });
  }

  private void onOpen(WebSocket socket) {
    ws = socket;
    if (closed) {
      ws.close(NORMAL_CLOSE);
      return;
    }
    alignTlsRecordsToBlocks(socket, address.blockSize());
    ws.binaryMessageHandler(this::onBlock);
    ws.textMessageHandler(
        text ->
            fatal(protocolError("the relay sent a text message; only binary blocks are valid")));
    ws.exceptionHandler(t -> {}); // the close handler follows and reports the loss
    // a close frame from the relay ends the session at once; the TCP close may come later
    ws.shutdownHandler(v -> onSocketClosed());
    ws.closeHandler(v -> onSocketClosed());
    handshakeTimer =
        vertx.setTimer(
            options.handshakeTimeout().toMillis(),
            id ->
                fatal(
                    new SealpostException(
                        ClientError.TIMEOUT,
                        "the relay at "
                            + relayName
                            + " did not finish the Noise handshake within "
                            + options.handshakeTimeout().toSeconds()
                            + " s")));
    int b = address.blockSize();
    try {
      initiator =
          new NoiseInitiator(address.relayKey(), b, NoiseSuite.PRODUCTION, new SecureRandom());
      Frame hello =
          Frame.newBuilder()
              .setClientHello(ClientHello.newBuilder().addVersions(PROTOCOL_VERSION))
              .build();
      byte[] message1 = initiator.writeHandshake1(BlockCodec.handshake(b).encode(hello));
      ws.writeFinalBinaryFrame(Buffer.buffer(message1));
    } catch (BlockException | NoiseException e) {
      fatal(new SealpostException(ClientError.HANDSHAKE, "cannot start the Noise handshake", e));
    }
  }

  /**
   * Makes every block travel in the same TLS records (one record at the default B): without it,
   * Netty coalesces two queued blocks into one wrap and the second record of a pair would be a
   * short one, so record sizes would vary with how fast blocks are written (invariant 3).
   */
  private static void alignTlsRecordsToBlocks(WebSocket socket, int blockSize) {
    SslHandler ssl =
        ((WebSocketInternal) socket).channelHandlerContext().pipeline().get(SslHandler.class);
    if (ssl != null) {
      ssl.setWrapDataSize(
          TlsRecordAlignment.chunkSize(blockSize + TlsRecordAlignment.CLIENT_FRAME_HEADER));
    }
  }

  private void onBlock(Buffer buffer) {
    if (closed) {
      return;
    }
    if (buffer.length() != address.blockSize()) {
      fatal(
          protocolError(
              "the relay sent a message of "
                  + buffer.length()
                  + " bytes; every message must be B = "
                  + address.blockSize()));
      return;
    }
    byte[] bytes = buffer.getBytes();
    if (transport == null) {
      onHandshake2(bytes);
    } else {
      onTransportBlock(bytes);
    }
  }

  private void onHandshake2(byte[] message) {
    int b = address.blockSize();
    byte[] payload;
    try {
      payload = initiator.readHandshake2(message);
    } catch (NoiseException e) {
      fatal(
          new SealpostException(
              ClientError.HANDSHAKE,
              "the handshake reply from "
                  + relayName
                  + " does not authenticate: it does not hold the relay key in the address",
              e));
      return;
    }
    Frame frame;
    try {
      List<Frame> frames = BlockCodec.handshake(b).decode(payload);
      if (frames.size() != 1) {
        fatal(protocolError("handshake reply carries " + frames.size() + " frames, expected 1"));
        return;
      }
      frame = frames.get(0);
    } catch (BlockException e) {
      fatal(protocolError("handshake reply does not decode (" + e.error() + ")"));
      return;
    }
    if (frame.hasError()) {
      fatal(RelayErrors.of(frame.getError().getCode(), "handshake", relayName));
      return;
    }
    if (!frame.hasRelayHello()) {
      fatal(protocolError("handshake reply is not a RelayHello"));
      return;
    }
    RelayHello hello = frame.getRelayHello();
    if (hello.getVersion() != PROTOCOL_VERSION) {
      fatal(
          new SealpostException(
              ClientError.VERSION,
              relayName + " chose protocol version " + hello.getVersion() + ", not offered"));
      return;
    }
    if (hello.getBlockSize() != b || hello.getEnvelopeSize() != BlockCodec.envelopeSize(b)) {
      fatal(protocolError("RelayHello announces a block or envelope size other than B, E"));
      return;
    }
    transport = initiator.transport();
    handshakeHash = transport.handshakeHash();
    info = RelayInfo.of(hello);
    BlockCodec out = BlockCodec.transport(b);
    if (info.maxFramesPerBlock() > 0) {
      out = out.withMaxFrames(info.maxFramesPerBlock());
    }
    batcher = new FrameBatcher(out);
    inbound = BlockCodec.transport(b);
    vertx.cancelTimer(handshakeTimer);
    sweepTimer = vertx.setPeriodic(SWEEP_MS, id -> sweep());
    pingTimer = vertx.setPeriodic(pingInterval().toMillis(), id -> ping());
    options
        .coverIntervalSetting()
        .ifPresent(
            d -> coverTimer = vertx.setPeriodic(Math.max(1, d.toMillis()), id -> constantRate()));
    opening.complete(this);
  }

  private Duration pingInterval() {
    return options
        .pingIntervalOverride()
        .orElseGet(
            () ->
                info.idleTimeoutSeconds() > 0
                    ? Duration.ofMillis(Math.max(1000, info.idleTimeoutSeconds() * 1000L / 3))
                    : Duration.ofSeconds(30));
  }

  private void onTransportBlock(byte[] block) {
    List<Frame> frames;
    try {
      frames = inbound.decode(transport.decrypt(block));
    } catch (NoiseException e) {
      fatal(protocolError("a block from the relay does not authenticate"));
      return;
    } catch (BlockException e) {
      fatal(protocolError("a block from the relay does not decode (" + e.error() + ")"));
      return;
    }
    for (Frame frame : frames) {
      if (closed) {
        return;
      }
      dispatch(frame);
    }
  }

  private void dispatch(Frame frame) {
    if (frame.hasPing()) {
      enqueue(
          Frame.newBuilder()
              .setCorrId(frame.getCorrId())
              .setPong(Pong.getDefaultInstance())
              .build());
      return;
    }
    if (frame.hasCover()) {
      return;
    }
    int corrId = frame.getCorrId();
    if (corrId != 0) {
      Pending p = pending.remove(corrId);
      if (p == null) {
        return; // a reply after its request timed out
      }
      admitWaiting();
      if (frame.hasError()) {
        p.promise().fail(RelayErrors.of(frame.getError().getCode(), p.operation(), relayName));
      } else {
        p.promise().complete(frame);
      }
      return;
    }
    if (frame.hasError()) {
      SealpostException e = RelayErrors.of(frame.getError().getCode(), "session", relayName);
      fatal(
          new SealpostException(
              ClientError.PROTOCOL,
              "the relay ended the session: " + e.getMessage(),
              frame.getError().getCode(),
              null));
      return;
    }
    listener.onPush(frame);
  }

  /** The relay's promises for this session. */
  RelayInfo info() {
    return info;
  }

  /** The Noise handshake hash h that recipient-command MACs bind to (a copy). */
  byte[] handshakeHash() {
    return handshakeHash.clone();
  }

  boolean isOpen() {
    return !closed && transport != null;
  }

  Context context() {
    return context;
  }

  /** Frames queued for the socket (for tests and back-pressure decisions). */
  int queuedFrames() {
    return batcher == null ? 0 : batcher.queued();
  }

  /**
   * Sends a command and completes with the relay's reply frame (never an Error frame: those fail
   * the future with a {@link SealpostException}). Must be called on the session's context; the
   * frame is batched with every other one queued in the same event-loop task.
   */
  Future<Frame> request(Frame.Builder command, String operation) {
    if (closed) {
      return Future.failedFuture(closedError());
    }
    int corrId = nextCorrId();
    Promise<Frame> promise = Promise.promise();
    Pending p =
        new Pending(
            corrId,
            command.setCorrId(corrId).build(),
            promise,
            System.nanoTime() + options.requestTimeout().toNanos(),
            operation);
    int limit = info.maxOutstanding();
    if (limit > 0 && pending.size() >= limit) {
      waiting.add(p);
    } else {
      admit(p);
    }
    return promise.future();
  }

  private int nextCorrId() {
    int id = nextCorrId++;
    if (nextCorrId == 0) {
      nextCorrId = 1; // 0 is reserved for pushes
    }
    while (pending.containsKey(id)) {
      id = nextCorrId();
    }
    return id;
  }

  private void admit(Pending p) {
    try {
      batcher.add(p.frame());
    } catch (BlockException e) {
      p.promise()
          .fail(
              new SealpostException(
                  ClientError.TOO_LARGE, p.operation() + ": the command does not fit a block", e));
      return;
    }
    pending.put(p.corrId(), p);
    scheduleFlush();
  }

  private void admitWaiting() {
    int limit = info.maxOutstanding();
    while (!waiting.isEmpty() && (limit <= 0 || pending.size() < limit)) {
      admit(waiting.poll());
    }
  }

  private void enqueue(Frame frame) {
    try {
      batcher.add(frame);
      scheduleFlush();
    } catch (BlockException e) {
      throw new IllegalStateException("a control frame does not fit a block", e);
    }
  }

  private void scheduleFlush() {
    if (coverTimer >= 0 || flushScheduled) {
      return; // constant-rate mode writes on its own clock
    }
    flushScheduled = true;
    // Runs after the current task: every frame queued in this task shares the blocks.
    context.runOnContext(v -> flush());
  }

  private void flush() {
    flushScheduled = false;
    while (!closed && !batcher.isEmpty()) {
      if (ws.writeQueueFull()) {
        ws.drainHandler(
            v -> {
              ws.drainHandler(null);
              scheduleFlush();
            });
        return;
      }
      writeBlock(batcher.nextBlock());
    }
  }

  private void constantRate() {
    if (!closed && !ws.writeQueueFull()) {
      // one block per tick: the next frames, or a cover block that carries none
      writeBlock(batcher.nextBlock());
    }
  }

  private void writeBlock(byte[] plaintext) {
    byte[] block;
    try {
      block = transport.encrypt(plaintext);
    } catch (NoiseException e) {
      fatal(new SealpostException(ClientError.PROTOCOL, "the session cannot encrypt more", e));
      return;
    }
    ws.writeFinalBinaryFrame(Buffer.buffer(block));
  }

  private void ping() {
    request(Frame.newBuilder().setPing(Ping.getDefaultInstance()), "ping")
        .onFailure(
            e -> {
              if (e instanceof SealpostException se && se.error() == ClientError.TIMEOUT) {
                fatal(
                    new SealpostException(
                        ClientError.CONNECTION_LOST,
                        "the relay at " + relayName + " stopped answering pings"));
              }
            });
  }

  private void sweep() {
    long now = System.nanoTime();
    List<Pending> expired = new ArrayList<>();
    for (Iterator<Pending> it = pending.values().iterator(); it.hasNext(); ) {
      Pending p = it.next();
      if (now - p.deadlineNanos() > 0) {
        it.remove();
        expired.add(p);
      }
    }
    for (Iterator<Pending> it = waiting.iterator(); it.hasNext(); ) {
      Pending p = it.next();
      if (now - p.deadlineNanos() > 0) {
        it.remove();
        expired.add(p);
      }
    }
    if (!expired.isEmpty()) {
      admitWaiting();
    }
    for (Pending p : expired) {
      p.promise()
          .fail(
              new SealpostException(
                  ClientError.TIMEOUT,
                  p.operation()
                      + ": no answer from "
                      + relayName
                      + " within "
                      + options.requestTimeout().toSeconds()
                      + " s"));
    }
  }

  private void onSocketClosed() {
    if (closed) {
      return;
    }
    if (transport == null) {
      Short status = ws.closeStatusCode();
      fatal(
          new SealpostException(
              ClientError.HANDSHAKE,
              "the relay at "
                  + relayName
                  + " closed the connection during the Noise handshake"
                  + (status == null ? "" : " (WebSocket close " + status + ")")
                  + ": the relay key in the address is not this relay's key, or its block size"
                  + " differs"));
      return;
    }
    Short status = ws.closeStatusCode();
    fatal(
        new SealpostException(
            ClientError.CONNECTION_LOST,
            "connection to "
                + relayName
                + " lost"
                + (status == null ? "" : " (WebSocket close " + status + ")")));
  }

  /** Closes the session from this side; pending commands fail with {@link ClientError#CLOSED}. */
  void close() {
    fatal(new SealpostException(ClientError.CLOSED, "connection to " + relayName + " closed"));
  }

  private SealpostException closedError() {
    return closeCause != null
        ? closeCause
        : new SealpostException(ClientError.CLOSED, "connection to " + relayName + " closed");
  }

  private void fatal(SealpostException cause) {
    if (closed) {
      return;
    }
    closed = true;
    closeCause = cause;
    for (long timer : new long[] {handshakeTimer, sweepTimer, pingTimer, coverTimer}) {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
      }
    }
    List<Pending> failed = new ArrayList<>(pending.values());
    failed.addAll(waiting);
    pending.clear();
    waiting.clear();
    SealpostException forPending =
        cause.error() == ClientError.CLOSED || cause.error() == ClientError.CONNECTION_LOST
            ? cause
            : new SealpostException(
                ClientError.CONNECTION_LOST, "session ended: " + cause.getMessage(), cause);
    for (Pending p : failed) {
      p.promise().fail(forPending);
    }
    if (transport != null) {
      transport.destroy();
    }
    if (initiator != null && transport == null) {
      initiator.destroy();
    }
    if (ws != null && !ws.isClosed()) {
      ws.close(NORMAL_CLOSE);
    }
    if (opening.future().isComplete()) {
      listener.onClosed(cause);
    } else {
      opening.fail(cause);
    }
  }

  private SealpostException protocolError(String message) {
    return new SealpostException(ClientError.PROTOCOL, relayName + ": " + message);
  }

  private SealpostException connectFailure(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof UnknownHostException) {
        return new SealpostException(
            ClientError.UNREACHABLE, "cannot resolve the host of relay " + relayName, failure);
      }
      if (t instanceof ConnectException
          || t instanceof NoRouteToHostException
          || t instanceof SocketTimeoutException
          || t.getClass().getSimpleName().contains("Timeout")) {
        String why =
            t instanceof NoRouteToHostException
                ? "no route to host"
                : t instanceof ConnectException && !t.getClass().getSimpleName().contains("Timeout")
                    ? "connection refused"
                    : "no answer within " + options.connectTimeout().toSeconds() + " s";
        return new SealpostException(
            ClientError.UNREACHABLE,
            "cannot connect to relay "
                + relayName
                + " ("
                + why
                + "): is it running, and is the address right?",
            failure);
      }
      if (t instanceof SSLException) {
        return new SealpostException(
            ClientError.TRANSPORT,
            "the TLS handshake with relay "
                + relayName
                + " failed; a relay without TLS has a sealpost+ws:// address",
            failure);
      }
      if (t instanceof UpgradeRejectedException rejected) {
        return new SealpostException(
            ClientError.TRANSPORT,
            relayName
                + " refused the WebSocket upgrade on /v1 (HTTP "
                + rejected.getStatus()
                + "): is this a Sealpost relay?",
            failure);
      }
    }
    return new SealpostException(
        ClientError.TRANSPORT,
        "cannot open a WebSocket to " + relayName + " (" + failure.getClass().getSimpleName() + ")",
        failure);
  }
}
