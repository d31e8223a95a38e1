package org.sealpost.client.internal;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import org.sealpost.client.ClientError;
import org.sealpost.client.ClientOptions;
import org.sealpost.client.RelayInfo;
import org.sealpost.client.RelayKeyChange;
import org.sealpost.client.SealpostException;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.proto.codec.BlockCodec;
import org.sealpost.proto.codec.BlockException;
import org.sealpost.proto.crypto.noise.NoiseException;
import org.sealpost.proto.crypto.noise.NoiseTransport;
import org.sealpost.proto.v1.ErrorCode;
import org.sealpost.proto.v1.Frame;
import org.sealpost.proto.v1.Ping;
import org.sealpost.proto.v1.Pong;

/**
 * One WebSocket to one relay carrying one Noise NK session (docs/protocol.md §2–4): connects, runs
 * the {@link ClientHandshake}, then reads B-byte blocks and routes their frames — replies to the
 * {@link PendingRequests} table, pushes to the {@link Listener} — while the {@link Outbox} writes.
 * It also keeps the session's timers: handshake deadline, request expiry, Ping keepalive and the
 * constant-rate clock.
 *
 * <p>Every field is confined to the session's {@link Context}: all methods except {@link #open}
 * must run on it. Noise nonces therefore advance in the order blocks hit the socket.
 */
final class ClientSession implements CommandChannel {
  /** Events of an open session, delivered on its context. */
  interface Listener {
    /** A frame the relay sent on its own (corr_id 0): Message, End, QuotaReached. */
    void onPush(Frame frame);

    /** The session is over, for whatever reason; called once, only after a successful open. */
    void onClosed(SealpostException cause);
  }

  private static final short NORMAL_CLOSE = 1000;

  private final Vertx vertx;
  private final Context context;
  private final RelayAddress address;
  private final ClientOptions options;
  private final String relayName;
  private final Listener listener;
  private final Promise<ClientSession> opening = Promise.promise();
  private final RelayAddress via; // issue 11: the first relay of a circuit, or null
  private CircuitOpener circuit;

  private WebSocket ws;
  private ClientHandshake handshake;
  private Optional<RelayKeyChange> keyChange = Optional.empty(); // issue 12
  private NoiseTransport transport;
  private byte[] handshakeHash;
  private RelayInfo info;
  private BlockCodec inbound;
  private PendingRequests requests;
  private Outbox outbox;
  private boolean closed;
  private SealpostException closeCause;
  private final SessionTimers timers;

  private ClientSession(
      Vertx vertx,
      Context context,
      RelayAddress address,
      ClientOptions options,
      Listener listener,
      RelayAddress via) {
    this.via = via;
    this.vertx = vertx;
    this.context = context;
    this.address = address;
    this.options = options;
    this.relayName = address.toString();
    this.listener = listener;
    this.timers = new SessionTimers(vertx);
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
    return open(vertx, client, context, address, options, listener, null);
  }

  /**
   * As above, through a circuit on the first relay {@code via} (protocol §11) when it is not null:
   * the connection goes to {@code via}, which carries this session to {@code address} unread.
   */
  static Future<ClientSession> open(
      Vertx vertx,
      WebSocketClient client,
      Context context,
      RelayAddress address,
      ClientOptions options,
      Listener listener,
      RelayAddress via) {
    ClientSession session = new ClientSession(vertx, context, address, options, listener, via);
    context.runOnContext(v -> session.start(client));
    return session.opening.future();
  }

  private void start(WebSocketClient client) {
    String connectName = relayName;
    if (via != null) {
      connectName = "first relay " + via;
      try {
        circuit = new CircuitOpener(via, address, new SecureRandom());
      } catch (SealpostException e) {
        fatal(e);
        return;
      }
    }
    String name = connectName;
    var connectTo = via != null ? via : address;
    if (connectTo.isOnion() && options.socks5Proxy().isEmpty()) {
      // an onion name cannot be reached directly, and asking the system resolver leaks it
      fatal(
          new SealpostException(
              ClientError.UNREACHABLE,
              (via != null ? name : "relay " + name)
                  + " is a Tor onion service: connect through Tor's SOCKS5 proxy"
                  + " (--socks5 127.0.0.1:9050)"));
      return;
    }
    RelaySockets.connect(client, connectTo, options.connectTimeout())
        .onComplete(
            ar -> {
              if (ar.failed()) {
                fatal(
                    ar.cause() instanceof SealpostException e
                        ? e
                        : SessionFailures.connectFailure(
                            name, options.connectTimeout(), ar.cause()));
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
    ws.binaryMessageHandler(this::onBlock);
    ws.textMessageHandler(
        text ->
            fatal(
                SessionFailures.protocol(
                    relayName, "the relay sent a text message; only binary blocks are valid")));
    ws.exceptionHandler(t -> {}); // the close handler follows and reports the loss
    // After the handshake a close frame from the relay ends the session at once (the TCP close may
    // come later). During it, the close handler decides: only then is the relay's close status
    // known, and only a refusal (1008) may be reported as a wrong address.
    ws.shutdownHandler(
        v -> {
          if (transport != null) {
            onSocketClosed();
          } else {
            ws.close(); // answers the relay's close frame; the close handler follows
          }
        });
    ws.closeHandler(v -> onSocketClosed());
    timers.startHandshakeDeadline(
        options.handshakeTimeout(),
        () -> fatal(SessionFailures.handshakeTimeout(relayName, options.handshakeTimeout())));
    try {
      if (circuit != null) {
        ws.writeFinalBinaryFrame(Buffer.buffer(circuit.message1()));
      } else {
        startHandshake();
      }
    } catch (SealpostException e) {
      fatal(e);
    }
  }

  private void startHandshake() {
    handshake = new ClientHandshake(address, new SecureRandom());
    ws.writeFinalBinaryFrame(Buffer.buffer(handshake.message1()));
  }

  /** issue 11: the first relay's handshake and the CircuitOpen's reply (protocol §11.2). */
  private void onCircuitBlock(byte[] bytes) {
    try {
      if (!circuit.awaitingReply()) {
        ws.writeFinalBinaryFrame(Buffer.buffer(circuit.onHandshake2(bytes)));
        return;
      }
      circuit.onReply(bytes);
      circuit = null; // the connection now carries the destination's session
      startHandshake();
    } catch (SealpostException e) {
      fatal(e);
    }
  }

  private void onBlock(Buffer buffer) {
    if (closed) {
      return;
    }
    if (buffer.length() != address.blockSize()) {
      fatal(
          SessionFailures.protocol(
              relayName,
              "the relay sent a message of "
                  + buffer.length()
                  + " bytes; every message must be B = "
                  + address.blockSize()));
      return;
    }
    byte[] bytes = buffer.getBytes();
    if (circuit != null) {
      onCircuitBlock(bytes);
    } else if (transport == null) {
      onHandshake2(bytes);
    } else {
      onTransportBlock(bytes);
    }
  }

  private void onHandshake2(byte[] message) {
    ClientHandshake.Established established;
    try {
      established = handshake.finish(message);
    } catch (SealpostException e) {
      fatal(e);
      return;
    }
    transport = established.transport();
    handshakeHash = transport.handshakeHash();
    info = established.info();
    keyChange = established.keyChange(); // issue 12
    int b = address.blockSize();
    BlockCodec out = BlockCodec.transport(b);
    if (info.maxFramesPerBlock() > 0) {
      out = out.withMaxFrames(info.maxFramesPerBlock());
    }
    inbound = BlockCodec.transport(b);
    boolean constantRate = options.coverIntervalSetting().isPresent();
    outbox =
        new Outbox(
            context,
            ws,
            transport,
            new FrameBatcher(out),
            constantRate,
            this::fatal,
            options.ackHold().toMillis(),
            info.maxWindow() / 2);
    requests =
        new PendingRequests(
            outbox::add,
            info.maxOutstanding(),
            options.requestTimeout(),
            System::nanoTime,
            relayName);
    timers.startOpen(
        SessionTimers.pingInterval(options.pingIntervalOverride(), info),
        options.coverIntervalSetting(),
        () -> {
          requests.expire();
          return !requests.isEmpty();
        },
        this::ping,
        outbox::tick);
    opening.complete(this);
  }

  private void onTransportBlock(byte[] block) {
    List<Frame> frames;
    try {
      frames = inbound.decode(transport.decrypt(block));
    } catch (NoiseException e) {
      fatal(SessionFailures.protocol(relayName, "a block from the relay does not authenticate"));
      return;
    } catch (BlockException e) {
      fatal(
          SessionFailures.protocol(
              relayName, "a block from the relay does not decode (" + e.error() + ")"));
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
      try {
        outbox.add(
            Frame.newBuilder()
                .setCorrId(frame.getCorrId())
                .setPong(Pong.getDefaultInstance())
                .build());
      } catch (BlockException e) {
        throw new IllegalStateException("a Pong does not fit a block", e);
      }
      return;
    }
    if (frame.hasCover()) {
      return;
    }
    if (frame.getCorrId() != 0) {
      requests.complete(frame); // false: a reply after its request timed out
      return;
    }
    if (frame.hasError() && frame.getError().getCode() == ErrorCode.ERROR_CODE_SYNTAX) {
      // a relay from before unanswered Acks (protocol §10) refusing one: the envelope simply
      // comes again; nothing else the client sends has corr_id 0
      return;
    }
    if (frame.hasError()) {
      fatal(SessionFailures.endedByRelay(relayName, frame.getError().getCode()));
      return;
    }
    listener.onPush(frame);
  }

  @Override
  public RelayInfo info() {
    return info;
  }

  @Override
  public byte[] handshakeHash() {
    return handshakeHash.clone();
  }

  /** issue 12: the successor key the relay announced in this session's RelayHello, if any. */
  Optional<RelayKeyChange> keyChange() {
    return keyChange;
  }

  boolean isOpen() {
    return !closed && transport != null;
  }

  Context context() {
    return context;
  }

  /** Frames queued for the socket (for tests and back-pressure decisions). */
  int queuedFrames() {
    return outbox == null ? 0 : outbox.queued();
  }

  /**
   * Sends a command and completes with the relay's reply frame (never an Error frame: those fail
   * the future with a {@link SealpostException}). Must be called on the session's context; the
   * frame is batched with every other one queued in the same event-loop task.
   */
  @Override
  public Future<Frame> request(Frame.Builder command, String operation) {
    if (closed) {
      return Future.failedFuture(closedError());
    }
    Future<Frame> reply = requests.add(command, operation);
    timers.armSweep();
    return reply;
  }

  @Override
  public Future<Void> post(Frame.Builder command) {
    if (closed || outbox == null) {
      return Future.failedFuture(closedError());
    }
    try {
      outbox.addDeferred(command.setCorrId(0).build());
      return Future.succeededFuture();
    } catch (BlockException e) {
      return Future.failedFuture(e);
    }
  }

  private void ping() {
    request(Frame.newBuilder().setPing(Ping.getDefaultInstance()), "ping")
        .onFailure(
            e -> {
              if (e instanceof SealpostException se && se.error() == ClientError.TIMEOUT) {
                fatal(SessionFailures.pingsUnanswered(relayName));
              }
            });
  }

  private void onSocketClosed() {
    if (closed) {
      return;
    }
    Short status = ws.closeStatusCode();
    fatal(
        transport == null
            ? SessionFailures.closedDuringHandshake(relayName, status)
            : SessionFailures.lost(relayName, status));
  }

  /** Closes the session from this side; pending commands fail with {@link ClientError#CLOSED}. */
  void close() {
    if (!closed && outbox != null) {
      outbox.flushPending(); // unanswered Acks still waiting leave before the close frame
    }
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
    timers.cancelAll();
    if (outbox != null) {
      outbox.stop();
    }
    if (requests != null) {
      requests.failAll(
          cause.error() == ClientError.CLOSED || cause.error() == ClientError.CONNECTION_LOST
              ? cause
              : new SealpostException(
                  ClientError.CONNECTION_LOST, "session ended: " + cause.getMessage(), cause));
    }
    if (transport != null) {
      transport.destroy();
    } else if (handshake != null) {
      handshake.destroy();
    }
    if (circuit != null) {
      circuit.destroy();
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
}
