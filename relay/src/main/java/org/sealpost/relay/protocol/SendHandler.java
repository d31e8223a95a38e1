package org.sealpost.relay.protocol;

import org.sealpost.proto.v1.ErrorCode;
import org.sealpost.proto.v1.Send;
import org.sealpost.relay.queue.QueueService;

/** Send → Ok once the envelope is durable (protocol §4.5). */
final class SendHandler {
  private static final CommandType TYPE = CommandType.SEND;

  private final Replies replies;
  private final int envelopeSize;
  private final QueueService queues;

  SendHandler(Replies replies, int envelopeSize, QueueService queues) {
    this.replies = replies;
    this.envelopeSize = envelopeSize;
    this.queues = queues;
  }

  void handle(int corr, Send command) {
    if (command.getSenderId().size() != 32
        || command.getEnvelope().size() != envelopeSize
        || (command.hasSendToken() && command.getSendToken().size() != 16)) {
      replies.error(TYPE, corr, ErrorCode.ERROR_CODE_SIZE);
      return;
    }
    if (!replies.admit(TYPE, corr)) {
      return;
    }
    byte[] senderId = command.getSenderId().toByteArray();
    byte[] envelope = command.getEnvelope().toByteArray();
    byte[] token = command.hasSendToken() ? command.getSendToken().toByteArray() : null;
    // Ok only once the store reports the envelope durable
    replies.run(
        TYPE, corr, () -> queues.send(senderId, envelope, token), v -> replies.done(TYPE, corr));
  }
}
