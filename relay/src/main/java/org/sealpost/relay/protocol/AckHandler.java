package org.sealpost.relay.protocol;

import org.sealpost.mailbox.MessageId;
import org.sealpost.proto.v1.Ack;
import org.sealpost.proto.v1.ErrorCode;
import org.sealpost.relay.delivery.QueueBinding;
import org.sealpost.relay.delivery.SessionDelivery;
import org.sealpost.relay.queue.QueueService;

/**
 * Ack → Ok (protocol §4.5). Carries no MAC: only a queue this session subscribed to or read with
 * Get may be acknowledged; any other is {@code AUTH}. An Ack with {@code corr_id} 0 is unanswered
 * (issue 13): it does the same work and sends no reply, whatever the outcome.
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

  /**
   * An unanswered Ack ({@code corr_id} 0): no reply, success or not — an envelope whose Ack failed
   * stays stored and is delivered again (at least once, protocol §4.5). It is never refused for
   * {@code max_outstanding} (there is no reply to carry {@code RATE}), but counts toward the
   * relay's pause in reading like any command in flight.
   */
  void handleUnanswered(Ack command) {
    if (command.getRecipientId().size() != 32
        || command.getMessageId().size() != MessageId.LENGTH) {
      replies.dropped(TYPE, ErrorCode.ERROR_CODE_SIZE);
      return;
    }
    QueueBinding binding = delivery.ackable(command.getRecipientId());
    if (binding == null) {
      replies.dropped(TYPE, ErrorCode.ERROR_CODE_AUTH);
      return;
    }
    replies.admitUnanswered();
    MessageId messageId = MessageId.of(command.getMessageId().toByteArray());
    replies.runUnanswered(
        TYPE,
        () -> queues.ack(binding.queueId(), messageId),
        succeeded -> delivery.acked(binding, messageId, succeeded));
  }
}
