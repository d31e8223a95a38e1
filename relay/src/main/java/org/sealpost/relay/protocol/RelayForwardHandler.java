package org.sealpost.relay.protocol;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.sealpost.proto.codec.FrameChecks;
import org.sealpost.proto.crypto.CryptoException;
import org.sealpost.proto.crypto.ForwardSeal;
import org.sealpost.proto.crypto.ForwardSeal.OpenedRequest;
import org.sealpost.proto.crypto.X25519KeyPair;
import org.sealpost.proto.v1.Error;
import org.sealpost.proto.v1.ErrorCode;
import org.sealpost.proto.v1.Frame;
import org.sealpost.proto.v1.Ok;
import org.sealpost.proto.v1.RelayForward;
import org.sealpost.proto.v1.RelayForwardReply;
import org.sealpost.proto.v1.Send;
import org.sealpost.relay.forward.ForwardException;
import org.sealpost.relay.queue.QueueService;

/**
 * RelayForward → RelayForwardReply, on the destination relay (protocol §9.2, §9.3): opens the
 * sealed request on a worker (one X25519 agreement), checks time and replay before anything runs,
 * executes the inner Send like any Send, and seals the inner reply for the client. Failures before
 * execution are plain errors (SIZE, AUTH, REPLAY, RATE); every failure after it travels sealed.
 */
final class RelayForwardHandler {
  private static final CommandType TYPE = CommandType.RELAY_FORWARD;

  private final Replies replies;
  private final Forwarding forwarding;
  private final X25519KeyPair relayKey;
  // issue 12: during a relay-key rotation, requests sealed to the successor are opened too
  private final X25519KeyPair successorKey;
  private final ForwardSeal seal;
  private final FrameChecks checks;
  private final QueueService queues;

  RelayForwardHandler(
      Replies replies,
      Forwarding forwarding,
      X25519KeyPair relayKey,
      X25519KeyPair successorKey,
      int blockSize,
      QueueService queues) {
    this.replies = replies;
    this.forwarding = forwarding;
    this.relayKey = relayKey;
    this.successorKey = successorKey;
    this.checks = new FrameChecks(blockSize);
    this.seal = new ForwardSeal(checks.envelopeSize());
    this.queues = queues;
  }

  void handle(int corr, RelayForward command) {
    if (!forwarding.enabled()) {
      replies.error(TYPE, corr, ErrorCode.ERROR_CODE_PROHIBITED);
      return;
    }
    if (command.getSealedRequest().size() != seal.requestSize()) {
      replies.error(TYPE, corr, ErrorCode.ERROR_CODE_SIZE);
      return;
    }
    if (!replies.admit(TYPE, corr)) {
      return;
    }
    byte[] sealed = command.getSealedRequest().toByteArray();
    replies.run(
        TYPE,
        corr,
        () -> CompletableFuture.supplyAsync(() -> open(sealed), forwarding.keyExecutor()),
        opened -> execute(corr, opened));
  }

  /** Steps 1–5 of §9.2, on a worker. */
  private OpenedRequest open(byte[] sealed) {
    OpenedRequest opened = tryOpen(relayKey, sealed);
    if (successorKey != null) {
      // both keys are always tried, so the time taken does not tell which one the client used
      OpenedRequest next = tryOpen(successorKey, sealed);
      if (opened == null) {
        opened = next;
      } else if (next != null) {
        Arrays.fill(next.replyKey(), (byte) 0);
      }
    }
    if (opened == null) {
      throw new ForwardException(ErrorCode.ERROR_CODE_AUTH);
    }
    try {
      forwarding.replayGuard().check(opened.ephemeralPublicKey(), opened.timeMinutes());
    } catch (CryptoException e) {
      Arrays.fill(opened.replyKey(), (byte) 0);
      throw new ForwardException(
          e.reason() == CryptoException.Reason.REPLAY_GUARD_FULL
              ? ErrorCode.ERROR_CODE_RATE
              : ErrorCode.ERROR_CODE_REPLAY);
    }
    return opened;
  }

  private OpenedRequest tryOpen(X25519KeyPair key, byte[] sealed) {
    try {
      return seal.open(key, sealed);
    } catch (CryptoException e) {
      return null;
    }
  }

  /** Step 6: the inner frame runs as a Send of an anonymous session; its reply travels sealed. */
  private void execute(int corr, OpenedRequest opened) {
    Frame inner;
    try {
      inner = Frame.parseFrom(opened.innerFrame());
    } catch (InvalidProtocolBufferException e) {
      answer(corr, opened, sealedError(0, ErrorCode.ERROR_CODE_SYNTAX));
      return;
    }
    int innerCorr = inner.getCorrId();
    if (inner.getBodyCase() != Frame.BodyCase.SEND) {
      answer(corr, opened, sealedError(innerCorr, ErrorCode.ERROR_CODE_SYNTAX));
      return;
    }
    Optional<ErrorCode> invalid = checks.checkFromClient(inner);
    if (invalid.isPresent()) {
      answer(corr, opened, sealedError(innerCorr, invalid.get()));
      return;
    }
    Send send = inner.getSend();
    byte[] senderId = send.getSenderId().toByteArray();
    byte[] envelope = send.getEnvelope().toByteArray();
    byte[] token = send.hasSendToken() ? send.getSendToken().toByteArray() : null;
    replies.run(
        TYPE,
        corr,
        () -> outcomeOf(queues.send(senderId, envelope, token)),
        failure ->
            answer(
                corr,
                opened,
                failure.isEmpty()
                    ? Frame.newBuilder().setCorrId(innerCorr).setOk(Ok.getDefaultInstance()).build()
                    : sealedError(innerCorr, ErrorMapper.toErrorCode(failure.get()))));
  }

  /** A stage that never fails: the failure, if any, becomes its value (it is sealed, not sent). */
  private static CompletionStage<Optional<Throwable>> outcomeOf(CompletionStage<?> stage) {
    return stage.handle((v, e) -> Optional.ofNullable(e));
  }

  private void answer(int corr, OpenedRequest opened, Frame reply) {
    byte[] sealedReply;
    try {
      sealedReply = ForwardSeal.sealReply(opened.replyKey(), reply.toByteArray());
    } catch (CryptoException e) {
      replies.fail(TYPE, corr, e); // a reply frame over 254 bytes: a bug, INTERNAL
      return;
    } finally {
      Arrays.fill(opened.replyKey(), (byte) 0);
    }
    replies.doneWith(
        TYPE,
        corr,
        Frame.newBuilder()
            .setRelayForwardReply(
                RelayForwardReply.newBuilder().setSealedReply(ByteString.copyFrom(sealedReply))));
  }

  private static Frame sealedError(int corr, ErrorCode code) {
    return Frame.newBuilder().setCorrId(corr).setError(Error.newBuilder().setCode(code)).build();
  }
}
