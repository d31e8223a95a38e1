package org.sealpost.proto.codec;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.sealpost.proto.address.AddressException;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.proto.crypto.ForwardSeal;
import org.sealpost.proto.v1.ErrorCode;
import org.sealpost.proto.v1.Frame;
import org.sealpost.proto.v1.RecipientOp;

/**
 * The protocol's structural checks of a decoded frame (docs/protocol.md §4.1, steps 1 and 2):
 * direction, correlation ID and every fixed field size, so that relay and client answer them the
 * same way. Returns the {@link ErrorCode} to answer with, or empty when the frame may proceed to
 * the command itself. Authorization, limits and storage are the caller's. Immutable.
 */
public final class FrameChecks {
  public static final int ID_LENGTH = 32;
  public static final int KEY_LENGTH = 32;
  public static final int MAC_LENGTH = 32;
  public static final int MESSAGE_ID_LENGTH = 12;
  public static final int SEND_TOKEN_LENGTH = 16;
  public static final int MAX_CREATION_TOKEN_LENGTH = 64;
  public static final int MAX_COMMAND_LENGTH = 256;
  public static final int MAX_DESTINATION_LENGTH = RelayAddress.MAX_LENGTH;

  /** AES-GCM tag on a pushed envelope. */
  public static final int DELIVERY_OVERHEAD = 16;

  private static final Optional<ErrorCode> PASS = Optional.empty();
  private static final Optional<ErrorCode> SYNTAX = Optional.of(ErrorCode.ERROR_CODE_SYNTAX);
  private static final Optional<ErrorCode> SIZE = Optional.of(ErrorCode.ERROR_CODE_SIZE);

  private final int envelopeSize;
  private final int sealedRequestSize;

  /** Checks for a session with block size B (E = B − 512). */
  public FrameChecks(int blockSize) {
    this.envelopeSize = BlockCodec.envelopeSize(blockSize);
    this.sealedRequestSize = new ForwardSeal(envelopeSize).requestSize();
  }

  /**
   * Checks a frame a client sent to a relay after the handshake. A {@code Cover} frame passes (the
   * caller drops it); every other body needs a non-zero {@code corr_id}; relay-to-client bodies and
   * hellos are {@code SYNTAX}. {@code RecipientCommand.mac} is not checked here: a wrong-length MAC
   * is an {@code AUTH} failure after the same work as any other (§5.4).
   */
  public Optional<ErrorCode> checkFromClient(Frame frame) {
    if (frame.getBodyCase() == Frame.BodyCase.COVER) {
      return PASS;
    }
    if (frame.getCorrId() == 0) {
      return SYNTAX;
    }
    switch (frame.getBodyCase()) {
      case CREATE_QUEUE -> {
        var c = frame.getCreateQueue();
        return ok(
            is(c.getRecipientDhPublic(), KEY_LENGTH)
                && (!c.hasCreationToken()
                    || within(c.getCreationToken(), 1, MAX_CREATION_TOKEN_LENGTH)));
      }
      case RECIPIENT_COMMAND -> {
        var c = frame.getRecipientCommand();
        return ok(
            is(c.getRecipientId(), ID_LENGTH) && within(c.getCommand(), 1, MAX_COMMAND_LENGTH));
      }
      case SEND -> {
        var s = frame.getSend();
        return ok(
            is(s.getSenderId(), ID_LENGTH)
                && is(s.getEnvelope(), envelopeSize)
                && (!s.hasSendToken() || is(s.getSendToken(), SEND_TOKEN_LENGTH)));
      }
      case ACK -> {
        var a = frame.getAck();
        return ok(is(a.getRecipientId(), ID_LENGTH) && is(a.getMessageId(), MESSAGE_ID_LENGTH));
      }
      case FORWARD -> {
        return checkForward(frame);
      }
      case RELAY_FORWARD -> {
        return ok(is(frame.getRelayForward().getSealedRequest(), sealedRequestSize));
      }
      case CIRCUIT_OPEN -> {
        ByteString destination = frame.getCircuitOpen().getDestinationBytes();
        return ok(!destination.isEmpty() && destination.size() <= MAX_DESTINATION_LENGTH);
      }
      case PING -> {
        return PASS;
      }
      default -> {
        // no body, an unknown field number, a hello after the handshake, or a relay's body
        return SYNTAX;
      }
    }
  }

  private Optional<ErrorCode> checkForward(Frame frame) {
    var f = frame.getForward();
    ByteString destination = f.getDestinationBytes();
    if (destination.isEmpty() || destination.size() > MAX_DESTINATION_LENGTH) {
      return SIZE;
    }
    RelayAddress address;
    try {
      address = RelayAddress.parse(destination.toString(StandardCharsets.UTF_8));
    } catch (AddressException e) {
      return SYNTAX;
    }
    int expected = new ForwardSeal(address.envelopeSize()).requestSize();
    return ok(is(f.getSealedRequest(), expected));
  }

  /**
   * Checks the operation of a RecipientCommand, after its MAC verified and {@link
   * BlockCodec#parseRecipientOp} parsed it: an operation must be set ({@code SYNTAX}) and a send
   * token must be 16 bytes ({@code SIZE}).
   */
  public static Optional<ErrorCode> checkRecipientOp(RecipientOp op) {
    return switch (op.getOpCase()) {
      case SECURE_QUEUE -> ok(is(op.getSecureQueue().getSendToken(), SEND_TOKEN_LENGTH));
      case SUBSCRIBE, GET, DELETE_QUEUE -> PASS;
      default -> SYNTAX;
    };
  }

  /**
   * Checks a frame a relay sent to a client after the handshake: a relay-to-client body with
   * correct field sizes. A client closes the session on any failure.
   */
  public Optional<ErrorCode> checkFromRelay(Frame frame) {
    return switch (frame.getBodyCase()) {
      case MESSAGE -> {
        var m = frame.getMessage();
        yield ok(
            is(m.getRecipientId(), ID_LENGTH)
                && is(m.getMessageId(), MESSAGE_ID_LENGTH)
                && is(m.getEncryptedEnvelope(), envelopeSize + DELIVERY_OVERHEAD));
      }
      case QUEUE_CREATED -> {
        var q = frame.getQueueCreated();
        yield ok(
            is(q.getRecipientId(), ID_LENGTH)
                && is(q.getSenderId(), ID_LENGTH)
                && is(q.getRelayDhPublic(), KEY_LENGTH));
      }
      case END -> ok(is(frame.getEnd().getRecipientId(), ID_LENGTH));
      case QUOTA_REACHED -> ok(is(frame.getQuotaReached().getRecipientId(), ID_LENGTH));
      case FORWARD_REPLY ->
          ok(is(frame.getForwardReply().getSealedReply(), ForwardSeal.REPLY_SIZE));
      case RELAY_FORWARD_REPLY ->
          ok(is(frame.getRelayForwardReply().getSealedReply(), ForwardSeal.REPLY_SIZE));
      case OK, ERROR, PONG, COVER -> PASS;
      default -> SYNTAX;
    };
  }

  /** E for this session. */
  public int envelopeSize() {
    return envelopeSize;
  }

  private static boolean is(ByteString field, int length) {
    return field.size() == length;
  }

  private static boolean within(ByteString field, int min, int max) {
    return field.size() >= min && field.size() <= max;
  }

  private static Optional<ErrorCode> ok(boolean sizesRight) {
    return sizesRight ? PASS : SIZE;
  }
}
