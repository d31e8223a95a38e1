package org.sealpost.relay.protocol;

import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.sealpost.proto.codec.BlockException;
import org.sealpost.proto.crypto.noise.NoiseException;
import org.sealpost.proto.crypto.noise.NoiseTransport;
import org.sealpost.proto.v1.ErrorCode;
import org.sealpost.proto.v1.Frame;
import org.sealpost.proto.v1.Ok;
import org.sealpost.relay.delivery.PushKind;
import org.sealpost.relay.delivery.PushSink;
import org.sealpost.relay.delivery.SessionDelivery;
import org.sealpost.relay.transport.CloseReason;
import org.sealpost.relay.transport.Session;
import org.sealpost.relay.transport.SessionHandler;

/**
 * Protocol v1 on one connection: the Noise NK handshake ({@link HandshakeStage}), then blocks
 * decoded into frames for the {@link CommandDispatcher}, replies through the {@link Outbox}, and
 * pushes from the session's {@link SessionDelivery}.
 *
 * <p>State machine: {@code AWAIT_HANDSHAKE → TRANSPORT → CLOSED}. A failed handshake closes the
 * connection (after Error{VERSION} when there is no common version). In transport, a block that
 * does not decrypt closes the connection without a reply (protocol §2.6); a block that decrypts but
 * does not decode is answered with one Error{BLOCK} (corr_id 0), then the connection closes (§3.2);
 * a bad frame inside a good block gets its own error and the session goes on.
 *
 * <p>Threading (DESIGN §7a): everything runs on the connection's context; command results are
 * brought back to it before any state is touched or anything is encrypted.
 */
public final class ProtocolSessionHandler implements SessionHandler {
  private enum State {
    AWAIT_HANDSHAKE,
    TRANSPORT,
    /** issue 11: a CircuitOpen is being served; the client sends nothing until its reply. */
    CIRCUIT_OPENING,
    /** issue 11: the connection carries the client's session with a destination (§11). */
    SPLICED,
    CLOSED
  }

  /** The only protocol version this relay speaks. */
  public static final int VERSION = HandshakeStage.VERSION;

  private final Session session;
  private final ProtocolSessionHandlerFactory shared;
  private State state = State.AWAIT_HANDSHAKE;
  private HandshakeStage handshake;
  private NoiseTransport transport;
  private Outbox outbox;
  private Replies replies;
  private SessionDelivery delivery;
  private CommandDispatcher dispatcher;
  private CircuitStage circuit;

  ProtocolSessionHandler(Session session, ProtocolSessionHandlerFactory shared) {
    this.session = session;
    this.shared = shared;
    this.handshake = new HandshakeStage(shared);
  }

  @Override
  public void onBlock(Buffer block) {
    switch (state) {
      case AWAIT_HANDSHAKE -> handshake(block.getBytes());
      case TRANSPORT -> transportBlock(block.getBytes());
      case CIRCUIT_OPENING -> end(CloseReason.PROTOCOL_VIOLATION);
      case SPLICED -> {
        if (!circuit.toDestination(block)) {
          end(CloseReason.SESSION_ENDED); // the destination does not keep up: end the circuit
        }
      }
      case CLOSED -> {
        // the connection is closing; late blocks are ignored
      }
    }
  }

  private void handshake(byte[] message) {
    NoiseTransport established = handshake.accept(message, session);
    if (established == null) {
      end(CloseReason.HANDSHAKE_FAILED);
      return;
    }
    // issue 12: the CreateQueue difficulty RelayHello announced, kept past the handshake stage
    int powBits = handshake.powBits();
    handshake = null;
    transport = established;
    startTransport(powBits);
    state = State.TRANSPORT;
    session.handshakeCompleted();
  }

  /** Builds the session's command side once the handshake has given it keys. */
  private void startTransport(int powBits) {
    ProtocolSettings settings = shared.settings();
    ProtocolMetrics metrics = shared.metrics();
    outbox =
        new Outbox(
            session,
            transport,
            shared.transportCodec(),
            metrics,
            settings.maxBlocksPerSession(),
            shared.coalesceMillis());
    replies = new Replies(session, outbox, metrics, settings.maxOutstanding());
    outbox.companyWhen(replies::awaiting); // issue 13
    delivery =
        new SessionDelivery(
            session,
            shared.queues(),
            shared.hub().registry(),
            shared.deliveryCipher(),
            settings.deliveryLimits(),
            new OutboxPushSink(session, outbox, metrics, shared.constantRateMillis()),
            shared.schedule());
    circuit =
        new CircuitStage(
            session,
            shared.forwarding(),
            new TokenBucket(
                shared.forwarding().settings().burst(),
                shared.forwarding().settings().ratePerSecond(),
                shared.nanoClock()));
    TokenBucket createBucket =
        new TokenBucket(settings.createBurst(), settings.createPerSecond(), shared.nanoClock());
    dispatcher =
        new CommandDispatcher(
            replies,
            metrics,
            new CreateQueueHandler(
                replies,
                settings,
                shared.queues(),
                createBucket,
                new CreateQueueHandler.Limits(
                    shared.createPow(),
                    powBits,
                    transport.handshakeHash(),
                    shared.createMaxPerConnection())),
            new RecipientCommandHandler(
                replies, shared.queues(), delivery, transport.handshakeHash()),
            new SendHandler(replies, settings.envelopeSize(), shared.queues()),
            new AckHandler(replies, shared.queues(), delivery),
            new ForwardHandler(
                replies,
                shared.forwarding(),
                new TokenBucket(
                    shared.forwarding().settings().burst(),
                    shared.forwarding().settings().ratePerSecond(),
                    shared.nanoClock())),
            new RelayForwardHandler(
                replies,
                shared.forwarding(),
                shared.relayKey(),
                shared.successor() == null ? null : shared.successor().key(),
                settings.blockSize(),
                shared.queues()));
  }

  private void transportBlock(byte[] block) {
    if (transport.blocksReceived() >= shared.settings().maxBlocksPerSession()) {
      end(CloseReason.SESSION_ENDED);
      return;
    }
    byte[] plaintext;
    try {
      plaintext = transport.decrypt(block);
    } catch (NoiseException e) {
      outbox.close(); // the failure destroyed the transport: nothing queued can be sent
      end(CloseReason.BAD_BLOCK); // a Noise-layer failure: no reply (§2.6)
      return;
    }
    List<Frame> frames;
    try {
      frames = shared.transportCodec().decode(plaintext);
    } catch (BlockException e) {
      // the peer itself made this block: a bug or an attack, and the session is not worth keeping
      replies.error(CommandType.INVALID, 0, ErrorCode.ERROR_CODE_BLOCK);
      outbox.drain();
      outbox.flush();
      end(CloseReason.BAD_BLOCK);
      return;
    }
    shared.metrics().payloadIn(((plaintext[1] & 0xFF) << 8) | (plaintext[2] & 0xFF));
    if (frames.size() == 1 && frames.get(0).hasCircuitOpen() && transport.blocksReceived() == 1) {
      openCircuit(frames.get(0));
      return;
    }
    for (Frame frame : frames) {
      if (state != State.TRANSPORT) {
        return;
      }
      dispatcher.dispatch(frame);
    }
  }

  /** CircuitOpen, alone in the first block after the handshake (protocol §11.2). */
  private void openCircuit(Frame frame) {
    CommandType type = CommandType.CIRCUIT_OPEN;
    int corr = frame.getCorrId();
    if (corr == 0) {
      replies.error(type, 0, ErrorCode.ERROR_CODE_SYNTAX);
      return;
    }
    CircuitStage.Checked checked = circuit.check(frame.getCircuitOpen());
    if (checked.refusal() != null) {
      replies.error(type, corr, checked.refusal());
      return;
    }
    state = State.CIRCUIT_OPENING;
    circuit
        .open(checked.destination())
        .onComplete(
            ar -> {
              if (state != State.CIRCUIT_OPENING) {
                if (ar.succeeded()) {
                  ar.result().close(); // the client left while it was opening
                }
                return;
              }
              if (ar.failed()) {
                state = State.TRANSPORT;
                replies.error(type, corr, ErrorMapper.toErrorCode(ar.cause()));
                return;
              }
              replies.reply(type, corr, Frame.newBuilder().setOk(Ok.getDefaultInstance()));
              outbox.drain(); // the Ok is the last block of this relay's own session
              outbox.close();
              replies.close();
              delivery.close();
              transport.destroy();
              state = State.SPLICED;
              circuit.splice(
                  ar.result(),
                  () -> {
                    if (state == State.SPLICED) {
                      end(CloseReason.SESSION_ENDED); // the destination's side ended
                    }
                  });
            });
  }

  private void end(CloseReason reason) {
    state = State.CLOSED;
    session.close(reason);
  }

  @Override
  public void onClose(CloseReason reason) {
    state = State.CLOSED;
    if (circuit != null) {
      circuit.close();
    }
    if (replies != null) {
      replies.close();
    }
    if (outbox != null) {
      outbox.close();
    }
    if (delivery != null) {
      delivery.close();
    }
    if (transport != null) {
      transport.destroy();
    }
    if (handshake != null) {
      handshake.destroy();
      handshake = null;
    }
  }

  /** Pushes go into the outbox like replies, counted by kind. */
  private record OutboxPushSink(
      Session session, Outbox outbox, ProtocolMetrics metrics, long constantRateMillis)
      implements PushSink {
    @Override
    public void push(PushKind kind, Frame frame) {
      metrics.pushed(kind);
      outbox.add(frame);
    }

    @Override
    public boolean writable() {
      return outbox.writable();
    }

    @Override
    public void whenWritable(Runnable action) {
      if (outbox.paced()) {
        outbox.afterTick(action);
      } else {
        session.writableHandler(action);
      }
    }

    @Override
    public void subscribed() {
      if (constantRateMillis > 0) {
        outbox.pace(constantRateMillis);
      }
    }

    @Override
    public void readFailed(Throwable cause) {
      ErrorMapper.toErrorCode(cause); // logs a failure it does not know, once, by type
    }
  }
}
