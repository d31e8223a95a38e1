package org.sealpost.relay.protocol;

import com.google.protobuf.ByteString;
import org.sealpost.proto.v1.CreateQueue;
import org.sealpost.proto.v1.ErrorCode;
import org.sealpost.proto.v1.Frame;
import org.sealpost.proto.v1.QueueCreated;
import org.sealpost.relay.queue.QueueService;

/** CreateQueue → QueueCreated (protocol §4.3). */
final class CreateQueueHandler {
  private static final CommandType TYPE = CommandType.CREATE_QUEUE;

  private final Replies replies;
  private final ProtocolSettings settings;
  private final QueueService queues;
  private final TokenBucket bucket;

  CreateQueueHandler(
      Replies replies, ProtocolSettings settings, QueueService queues, TokenBucket bucket) {
    this.replies = replies;
    this.settings = settings;
    this.queues = queues;
    this.bucket = bucket;
  }

  void handle(int corr, CreateQueue command) {
    ByteString token = command.getCreationToken();
    if (command.getRecipientDhPublic().size() != 32
        || (command.hasCreationToken() && (token.isEmpty() || token.size() > 64))) {
      replies.error(TYPE, corr, ErrorCode.ERROR_CODE_SIZE);
      return;
    }
    if (settings.createToken().isPresent()
        && !(command.hasCreationToken()
            && settings.createToken().get().matches(token.toByteArray()))) {
      replies.error(TYPE, corr, ErrorCode.ERROR_CODE_PROHIBITED);
      return;
    }
    if (!bucket.tryTake()) {
      replies.error(TYPE, corr, ErrorCode.ERROR_CODE_RATE);
      return;
    }
    if (!replies.admit(TYPE, corr)) {
      return;
    }
    byte[] recipientKey = command.getRecipientDhPublic().toByteArray();
    replies.run(
        TYPE,
        corr,
        () -> queues.create(recipientKey),
        created ->
            replies.doneWith(
                TYPE,
                corr,
                Frame.newBuilder()
                    .setQueueCreated(
                        QueueCreated.newBuilder()
                            .setRecipientId(ByteString.copyFrom(created.recipientId()))
                            .setSenderId(ByteString.copyFrom(created.senderId()))
                            .setRelayDhPublic(ByteString.copyFrom(created.relayDhPublic())))));
  }
}
