package org.sealpost.relay.protocol;

import org.sealpost.mailbox.MessageId;
import org.sealpost.proto.v1.Ack;
import org.sealpost.proto.v1.ErrorCode;
import org.sealpost.relay.delivery.QueueBinding;
import org.sealpost.relay.delivery.SessionDelivery;
import org.sealpost.relay.queue.QueueService;

/**
 * Ack → Ok (protocol §4.5). Carries no MAC: only a queue this session subscribed to or read with
 * Get may be acknowledged; any other is {@code AUTH}.
 */
final class AckHandler {
  private static final CommandType TYPE = CommandType.ACK;

  private final Replies replies;
  private final QueueService queues;
  private final SessionDelivery delivery;

  AckHandler(Replies replies, QueueService queues, SessionDelivery delivery) {
    this.replies = replies;
    this.queues = queues;
    this.delivery = delivery;
  }

  void handle(int corr, Ack command) {
    if (command.getRecipientId().size() != 32
        || command.getMessageId().size() != MessageId.LENGTH) {
      replies.error(TYPE, corr, ErrorCode.ERROR_CODE_SIZE);
      return;
    }
    QueueBinding binding = delivery.ackable(command.getRecipientId());
    if (binding == null) {
      replies.error(TYPE, corr, ErrorCode.ERROR_CODE_AUTH);
      return;
    }
    if (!replies.admit(TYPE, corr)) {
      return;
    }
    MessageId messageId = MessageId.of(command.getMessageId().toByteArray());
    replies.runAndAnswer(
        TYPE,
        corr,
        () -> queues.ack(binding.queueId(), messageId),
        succeeded -> delivery.acked(binding, messageId, succeeded));
  }
}
