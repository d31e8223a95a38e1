package org.sealpost.relay.protocol;

import com.google.protobuf.ByteString;
import org.sealpost.proto.pow.CreatePow;
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
  private final Limits limits;
  // issue 12: CreateQueue commands of this session that got past the checks; event-loop confined
  private int admitted;

  /**
   * Issue 12: abuse control for this session.
   *
   * @param gate counts CreateQueue load relay-wide
   * @param powBits the proof-of-work difficulty RelayHello announced to this session; 0 = none
   * @param handshakeHash the session's h, which a proof binds to
   * @param maxPerSession queues this session may create in all; 0 = no cap
   */
  record Limits(CreatePowGate gate, int powBits, byte[] handshakeHash, int maxPerSession) {}

  CreateQueueHandler(
      Replies replies,
      ProtocolSettings settings,
      QueueService queues,
      TokenBucket bucket,
      Limits limits) {
    this.replies = replies;
    this.settings = settings;
    this.queues = queues;
    this.bucket = bucket;
    this.limits = limits;
  }

  void handle(int corr, CreateQueue command) {
    limits.gate().recordCreate();
    ByteString token = command.getCreationToken();
    if (command.getRecipientDhPublic().size() != 32
        || (command.hasCreationToken() && (token.isEmpty() || token.size() > 64))
        || (command.hasPowNonce() && command.getPowNonce().size() != CreatePow.NONCE_BYTES)) {
      replies.error(TYPE, corr, ErrorCode.ERROR_CODE_SIZE);
      return;
    }
    if (settings.createToken().isPresent()
        && !(command.hasCreationToken()
            && settings.createToken().get().matches(token.toByteArray()))) {
      replies.error(TYPE, corr, ErrorCode.ERROR_CODE_PROHIBITED);
      return;
    }
    // one hash to check, 2^bits to make: cheap enough for the event loop
    if (limits.powBits() > 0
        && !CreatePow.verify(
            limits.handshakeHash(),
            command.getRecipientDhPublic().toByteArray(),
            command.hasPowNonce() ? command.getPowNonce().toByteArray() : null,
            limits.powBits())) {
      replies.error(TYPE, corr, ErrorCode.ERROR_CODE_POW);
      return;
    }
    if (limits.maxPerSession() > 0 && admitted >= limits.maxPerSession()) {
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
    admitted++;
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
