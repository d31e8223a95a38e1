package org.sealpost.relay.protocol;

import org.sealpost.proto.v1.ErrorCode;
import org.sealpost.proto.v1.Frame;
import org.sealpost.proto.v1.Pong;

/**
 * Routes each decoded frame of a session to its command's handler, after the checks every command
 * shares (protocol §4.1): a command that expects a reply must carry a {@code corr_id} (an Ack
 * without one is unanswered, §4.5), and a body the client must not send is {@code SYNTAX}.
 */
final class CommandDispatcher {
  private final Replies replies;
  private final ProtocolMetrics metrics;
  private final CreateQueueHandler createQueue;
  private final RecipientCommandHandler recipientCommand;
  private final SendHandler send;
  private final AckHandler ack;
  private final ForwardHandler forward;
  private final RelayForwardHandler relayForward;

  CommandDispatcher(
      Replies replies,
      ProtocolMetrics metrics,
      CreateQueueHandler createQueue,
      RecipientCommandHandler recipientCommand,
      SendHandler send,
      AckHandler ack,
      ForwardHandler forward,
      RelayForwardHandler relayForward) {
    this.replies = replies;
    this.metrics = metrics;
    this.createQueue = createQueue;
    this.recipientCommand = recipientCommand;
    this.send = send;
    this.ack = ack;
    this.forward = forward;
    this.relayForward = relayForward;
  }

  void dispatch(Frame frame) {
    int corr = frame.getCorrId();
    CommandType type = typeOf(frame);
    if (type == CommandType.COVER) {
      metrics.succeeded(CommandType.COVER);
      return;
    }
    if (type == null) {
      return; // an unsolicited Pong: the relay sends no Ping, so it is dropped like cover
    }
    if (type == CommandType.ACK && corr == 0) {
      ack.handleUnanswered(frame.getAck()); // issue 13: an Ack that needs no Ok
      return;
    }
    if (type == CommandType.INVALID || corr == 0) {
      replies.error(type, corr, ErrorCode.ERROR_CODE_SYNTAX);
      return;
    }
    switch (frame.getBodyCase()) {
      case CREATE_QUEUE -> createQueue.handle(corr, frame.getCreateQueue());
      case RECIPIENT_COMMAND -> recipientCommand.handle(corr, frame.getRecipientCommand());
      case SEND -> send.handle(corr, frame.getSend());
      case ACK -> ack.handle(corr, frame.getAck());
      case PING -> replies.reply(type, corr, Frame.newBuilder().setPong(Pong.getDefaultInstance()));
      case FORWARD -> forward.handle(corr, frame.getForward());
      case RELAY_FORWARD -> relayForward.handle(corr, frame.getRelayForward());
      // a CircuitOpen that is not alone in the session's first block (protocol §11.2)
      case CIRCUIT_OPEN -> replies.error(type, corr, ErrorCode.ERROR_CODE_SYNTAX);
      default -> replies.error(CommandType.INVALID, corr, ErrorCode.ERROR_CODE_SYNTAX);
    }
  }

  /** The command a frame carries; null for a frame that is dropped without a reply. */
  private static CommandType typeOf(Frame frame) {
    return switch (frame.getBodyCase()) {
      case CREATE_QUEUE -> CommandType.CREATE_QUEUE;
      case RECIPIENT_COMMAND -> CommandType.RECIPIENT_COMMAND;
      case SEND -> CommandType.SEND;
      case ACK -> CommandType.ACK;
      case PING -> CommandType.PING;
      case COVER -> CommandType.COVER;
      case FORWARD -> CommandType.FORWARD;
      case RELAY_FORWARD -> CommandType.RELAY_FORWARD;
      case CIRCUIT_OPEN -> CommandType.CIRCUIT_OPEN;
      case PONG -> null;
      default -> CommandType.INVALID;
    };
  }
}
