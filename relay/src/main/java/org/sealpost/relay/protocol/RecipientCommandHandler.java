package org.sealpost.relay.protocol;

import com.google.protobuf.ByteString;
import org.sealpost.proto.codec.BlockCodec;
import org.sealpost.proto.codec.BlockException;
import org.sealpost.proto.v1.ErrorCode;
import org.sealpost.proto.v1.RecipientCommand;
import org.sealpost.proto.v1.RecipientOp;
import org.sealpost.relay.delivery.QueueBinding;
import org.sealpost.relay.delivery.SessionDelivery;
import org.sealpost.relay.queue.AuthorizedQueue;
import org.sealpost.relay.queue.QueueService;

/**
 * RecipientCommand (protocol §4.4, §5.4): authorizes the queue by its MAC over the exact bytes
 * received, and only then parses and runs the operation — SecureQueue, Subscribe, Get or
 * DeleteQueue. A MAC of the wrong length is {@code AUTH}, like a wrong MAC.
 */
final class RecipientCommandHandler {
  private static final CommandType TYPE = CommandType.RECIPIENT_COMMAND;

  private final Replies replies;
  private final QueueService queues;
  private final SessionDelivery delivery;
  private final byte[] handshakeHash;

  RecipientCommandHandler(
      Replies replies, QueueService queues, SessionDelivery delivery, byte[] handshakeHash) {
    this.replies = replies;
    this.queues = queues;
    this.delivery = delivery;
    this.handshakeHash = handshakeHash;
  }

  void handle(int corr, RecipientCommand command) {
    if (command.getRecipientId().size() != 32) {
      replies.error(TYPE, corr, ErrorCode.ERROR_CODE_SIZE);
      return;
    }
    if (command.getMac().size() != 32) {
      // part of authorization (§5.4): the same answer for every queue, known or not
      replies.error(TYPE, corr, ErrorCode.ERROR_CODE_AUTH);
      return;
    }
    if (!replies.admit(TYPE, corr)) {
      return;
    }
    byte[] recipientId = command.getRecipientId().toByteArray();
    byte[] commandBytes = command.getCommand().toByteArray();
    byte[] mac = command.getMac().toByteArray();
    replies.run(
        TYPE,
        corr,
        () -> queues.authorize(recipientId, handshakeHash, commandBytes, mac),
        queue -> authorized(corr, queue, command.getCommand()));
  }

  private void authorized(int corr, AuthorizedQueue queue, ByteString opBytes) {
    RecipientOp op;
    try {
      // only now: the MAC covered exactly these bytes
      op = BlockCodec.parseRecipientOp(opBytes);
    } catch (BlockException e) {
      replies.refuse(TYPE, corr, e.error().errorCode());
      return;
    }
    switch (op.getOpCase()) {
      case SECURE_QUEUE -> secure(corr, queue, op.getSecureQueue().getSendToken());
      case SUBSCRIBE -> subscribe(corr, queue);
      case GET -> get(corr, queue);
      case DELETE_QUEUE -> delete(corr, queue);
      default -> replies.refuse(TYPE, corr, ErrorCode.ERROR_CODE_SYNTAX);
    }
  }

  private void secure(int corr, AuthorizedQueue queue, ByteString token) {
    CommandType type = CommandType.SECURE_QUEUE;
    if (token.size() != 16) {
      replies.refuse(type, corr, ErrorCode.ERROR_CODE_SIZE);
      return;
    }
    byte[] sendToken = token.toByteArray();
    replies.run(
        type, corr, () -> queues.secure(queue.queueId(), sendToken), v -> replies.done(type, corr));
  }

  private void subscribe(int corr, AuthorizedQueue queue) {
    CommandType type = CommandType.SUBSCRIBE;
    QueueBinding binding = bindOrRefuse(type, corr, queue);
    if (binding != null) {
      delivery.subscribe(binding);
      replies.done(type, corr);
      delivery.push(binding);
    }
  }

  /** Get answers with the oldest pending envelope; it stays there until it is acknowledged. */
  private void get(int corr, AuthorizedQueue queue) {
    CommandType type = CommandType.GET;
    QueueBinding binding = bindOrRefuse(type, corr, queue);
    if (binding == null) {
      return;
    }
    delivery.fetch(
        binding,
        corr,
        (message, failure) -> {
          if (failure != null) {
            replies.fail(type, corr, failure);
          } else if (message == null) {
            replies.done(type, corr);
          } else {
            replies.deliver(type, message);
          }
        });
  }

  private void delete(int corr, AuthorizedQueue queue) {
    CommandType type = CommandType.DELETE_QUEUE;
    replies.run(
        type,
        corr,
        () -> queues.delete(queue.queueId()),
        v -> {
          delivery.deleted(queue.queueId());
          replies.done(type, corr);
        });
  }

  /** The session's binding of the queue; {@code PROHIBITED} at the per-session queue limit. */
  private QueueBinding bindOrRefuse(CommandType type, int corr, AuthorizedQueue queue) {
    QueueBinding binding = delivery.bind(queue);
    if (binding == null) {
      replies.refuse(type, corr, ErrorCode.ERROR_CODE_PROHIBITED);
    }
    return binding;
  }
}
