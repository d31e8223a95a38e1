package org.sealpost.relay.forward;

import com.google.protobuf.ByteString;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.proto.codec.BlockCodec;
import org.sealpost.proto.codec.BlockException;
import org.sealpost.proto.codec.FrameChecks;
import org.sealpost.proto.crypto.noise.NoiseException;
import org.sealpost.proto.crypto.noise.NoiseTransport;
import org.sealpost.proto.session.InitiatorHandshake;
import org.sealpost.proto.v1.ErrorCode;
import org.sealpost.proto.v1.Frame;
import org.sealpost.proto.v1.RelayForward;

/**
 * One relay-to-relay session: a client session like any other (TLS, WebSocket on {@code /v1}, Noise
 * NK to the destination's pinned key, B-byte blocks) that carries {@code RelayForward}s of many
 * clients and routes the replies back by {@code corr_id}.
 *
 * <p>All state is confined to the link's context (the event loop it was opened on); {@link #send}
 * may be called from any thread and hops there. The pool is told when a request ends and when the
 * link closes.
 */
final class RelayLink {
  /** What the pool learns from a link. */
  interface Listener {
    /** A request sent on this link has ended (replied, failed, or the link closed under it). */
    void requestEnded(RelayLink link, ForwardRequest request);

    /** The link is closed; called once, only for a link that had opened. */
    void closed(RelayLink link);
  }

  private static final short NORMAL_CLOSE = 1000;

  /** Requests in flight on one link, whatever more the destination would allow. */
  private static final int MAX_CAPACITY = 64;

  private final Vertx vertx;
  private final Context context;
  private final RelayAddress destination;
  private final BlockCodec codec;
  private final FrameChecks checks;
  private final Listener listener;
  private final Promise<RelayLink> opening = Promise.promise();
  private final Map<Integer, ForwardRequest> pending = new HashMap<>();

  private WebSocket ws;
  private InitiatorHandshake initiator;
  private NoiseTransport transport;
  private int capacity = 1;
  private int nextCorr;
  private long handshakeTimer = -1;
  private boolean closed;

  private RelayLink(Vertx vertx, Context context, RelayAddress destination, Listener listener) {
    this.vertx = vertx;
    this.context = context;
    this.destination = destination;
    this.codec = BlockCodec.transport(destination.blockSize());
    this.checks = new FrameChecks(destination.blockSize());
    this.listener = listener;
  }

  /**
   * Connects and completes the handshake within {@code deadline}, on the caller's context. Fails
   * with {@link ForwardException} FORWARD for every reason (connect, TLS, handshake, a RelayHello
   * that does not fit the address or does not accept forwarding): the client learns only that the
   * destination cannot be reached.
   */
  static Future<RelayLink> open(
      Vertx vertx,
      WebSocketClient client,
      RelayAddress destination,
      Duration deadline,
      SecureRandom random,
      Listener listener) {
    RelayLink link = new RelayLink(vertx, vertx.getOrCreateContext(), destination, listener);
    link.context.runOnContext(v -> link.start(client, deadline, random));
    return link.opening.future();
  }

  private void start(WebSocketClient client, Duration deadline, SecureRandom random) {
    long ms = Math.max(1, deadline.toMillis());
    handshakeTimer = vertx.setTimer(ms, t -> failOpen());
    try {
      initiator = new InitiatorHandshake(destination.relayKey(), destination.blockSize(), random);
    } catch (NoiseException e) {
      failOpen();
      return;
    }
    WebSocketConnectOptions connect = LinkSockets.connect(destination, ms);
    client
        .connect(connect)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                failOpen();
              } else {
                onConnected(ar.result());
              }
            });
  }

  private void onConnected(WebSocket socket) {
    ws = socket;
    if (opening.future().isComplete()) {
      ws.close(NORMAL_CLOSE); // the deadline passed while connecting
      return;
    }
    LinkSockets.alignTlsRecordsToBlocks(ws, destination.blockSize());
    ws.binaryMessageHandler(this::onMessage);
    ws.closeHandler(v -> onClosed());
    ws.exceptionHandler(e -> ws.close());
    try {
      ws.writeBinaryMessage(Buffer.buffer(initiator.message1()));
    } catch (BlockException | NoiseException e) {
      failOpen();
    }
  }

  private void onMessage(Buffer message) {
    if (closed) {
      return;
    }
    if (transport == null) {
      finishHandshake(message.getBytes());
    } else {
      onBlock(message.getBytes());
    }
  }

  private void finishHandshake(byte[] message2) {
    InitiatorHandshake.Established done;
    try {
      done = initiator.finish(message2);
    } catch (InitiatorHandshake.HandshakeException e) {
      failOpen(); // whatever the rule, the client learns only FORWARD
      return;
    }
    initiator = null;
    transport = done.transport();
    if (!done.hello().getForwardSupported()) {
      failOpen(); // the destination does not execute RelayForward (§9.5)
      return;
    }
    capacity = Math.max(1, Math.min(MAX_CAPACITY, done.hello().getMaxOutstanding()));
    vertx.cancelTimer(handshakeTimer);
    opening.complete(this);
  }

  private void failOpen() {
    if (opening.tryFail(ForwardException.unreachable())) {
      vertx.cancelTimer(handshakeTimer);
      closed = true;
      destroyKeys();
      if (ws != null) {
        ws.close(NORMAL_CLOSE);
      }
    }
  }

  private void onBlock(byte[] block) {
    List<Frame> frames;
    try {
      frames = codec.decode(transport.decrypt(block));
    } catch (NoiseException | BlockException e) {
      ws.close(); // a broken peer: every request on the link fails FORWARD
      return;
    }
    for (Frame frame : frames) {
      ForwardRequest request = frame.getCorrId() == 0 ? null : pending.remove(frame.getCorrId());
      if (request == null) {
        continue; // Cover, a Pong, or a push the link never asked for
      }
      if (frame.hasRelayForwardReply() && checks.checkFromRelay(frame).isEmpty()) {
        request.reply(frame.getRelayForwardReply().getSealedReply().toByteArray());
      } else if (frame.hasError()) {
        request.fail(new ForwardException(passedOn(frame.getError().getCode())));
      } else {
        request.fail(ForwardException.unreachable());
      }
      listener.requestEnded(this, request);
    }
  }

  /**
   * The destination's plain errors the client may see (§9.2): the refusals of the sealed request
   * itself. Anything else (PROHIBITED from a destination that stopped forwarding, INTERNAL, ...)
   * means the destination cannot serve the request: FORWARD.
   */
  static ErrorCode passedOn(ErrorCode code) {
    return switch (code) {
      case ERROR_CODE_SIZE, ERROR_CODE_AUTH, ERROR_CODE_REPLAY, ERROR_CODE_RATE -> code;
      default -> ErrorCode.ERROR_CODE_FORWARD;
    };
  }

  /**
   * Sends a request on this link (any thread); the pool has counted it against {@link #capacity}.
   */
  void send(ForwardRequest request) {
    context.runOnContext(v -> write(request));
  }

  private void write(ForwardRequest request) {
    if (closed || request.done()) {
      if (!request.done()) {
        request.fail(ForwardException.unreachable());
      }
      listener.requestEnded(this, request);
      return;
    }
    nextCorr = nextCorr == Integer.MAX_VALUE ? 1 : nextCorr + 1;
    int corr = nextCorr;
    Frame frame =
        Frame.newBuilder()
            .setCorrId(corr)
            .setRelayForward(
                RelayForward.newBuilder()
                    .setSealedRequest(ByteString.copyFrom(request.sealedRequest)))
            .build();
    try {
      byte[] block = codec.encode(frame);
      pending.put(corr, request);
      ws.writeBinaryMessage(Buffer.buffer(transport.encrypt(block)));
    } catch (BlockException | NoiseException e) {
      pending.remove(corr);
      request.fail(ForwardException.unreachable());
      listener.requestEnded(this, request);
    }
  }

  /** Requests this link takes at once (the destination's max_outstanding, at most 64). */
  int capacity() {
    return capacity;
  }

  /** Closes the link (any thread); its pending requests fail FORWARD. */
  void close() {
    context.runOnContext(
        v -> {
          if (ws != null) {
            ws.close(NORMAL_CLOSE);
          } else {
            failOpen();
          }
        });
  }

  private void onClosed() {
    if (!opening.future().isComplete()) {
      failOpen();
      return;
    }
    if (closed) {
      return;
    }
    closed = true;
    destroyKeys();
    List<ForwardRequest> lost = new ArrayList<>(pending.values());
    pending.clear();
    for (ForwardRequest r : lost) {
      r.fail(ForwardException.unreachable());
      listener.requestEnded(this, r);
    }
    listener.closed(this);
  }

  private void destroyKeys() {
    if (initiator != null) {
      initiator.destroy();
      initiator = null;
    }
    if (transport != null) {
      transport.destroy();
    }
  }
}
