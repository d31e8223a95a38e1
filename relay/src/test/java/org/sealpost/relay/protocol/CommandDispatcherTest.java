package org.sealpost.relay.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sealpost.relay.protocol.ProtocolSessionHandlerTest.bytes;
import static org.sealpost.relay.protocol.ProtocolSessionHandlerTest.ping;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sealpost.proto.codec.BlockCodec;
import org.sealpost.proto.v1.Cover;
import org.sealpost.proto.v1.ErrorCode;
import org.sealpost.proto.v1.Forward;
import org.sealpost.proto.v1.Frame;
import org.sealpost.proto.v1.Ok;
import org.sealpost.proto.v1.Pong;
import org.sealpost.proto.v1.RecipientCommand;
import org.sealpost.proto.v1.RecipientOp;
import org.sealpost.proto.v1.RelayForward;
import org.sealpost.proto.v1.Send;
import org.sealpost.proto.v1.Subscribe;

/** The checks every command shares (protocol §4.1) and the per-command refusals, byte-fed. */
@ExtendWith(VertxExtension.class)
class CommandDispatcherTest {
  private static final int E = BlockCodec.envelopeSize(SessionHarness.B);

  @Test
  void aCommandWithoutCorrIdIsSyntaxWithCorrIdZero(Vertx vertx) {
    SessionHarness h = new SessionHarness(vertx, Function.identity()).connected();
    List<Frame> replies = new ArrayList<>(h.exchange(ping(0)));
    replies.addAll(h.exchange(send(0, bytes(32, 1), E)));
    assertThat(replies).hasSize(2);
    assertThat(replies)
        .allSatisfy(
            f -> {
              assertThat(f.getCorrId()).isZero();
              assertThat(f.getError().getCode()).isEqualTo(ErrorCode.ERROR_CODE_SYNTAX);
            });
    assertThat(h.queues.sendCalls).hasValue(0);
  }

  @Test
  void forwardAndRelayForwardAreProhibitedWhereForwardingIsOff(Vertx vertx) {
    SessionHarness h = new SessionHarness(vertx, Function.identity()).connected();
    List<Frame> replies =
        h.exchange(
            Frame.newBuilder()
                .setCorrId(3)
                .setForward(Forward.newBuilder().setDestination("sealpost://x@y:1"))
                .build(),
            Frame.newBuilder()
                .setCorrId(4)
                .setRelayForward(RelayForward.newBuilder().setSealedRequest(bytes(E + 176, 2)))
                .build());
    assertThat(replies).extracting(Frame::getCorrId).containsExactly(3, 4);
    assertThat(replies)
        .extracting(f -> f.getError().getCode())
        .containsOnly(ErrorCode.ERROR_CODE_PROHIBITED);
  }

  @Test
  void aRelayToClientBodyIsSyntaxAndPongAndCoverGetNoReply(Vertx vertx) {
    SessionHarness h = new SessionHarness(vertx, Function.identity()).connected();
    List<Frame> replies =
        h.exchange(
            Frame.newBuilder().setCorrId(8).setOk(Ok.getDefaultInstance()).build(),
            Frame.newBuilder().setCorrId(9).setPong(Pong.getDefaultInstance()).build(),
            Frame.newBuilder().setCover(Cover.getDefaultInstance()).build(),
            ping(10));
    assertThat(replies).extracting(Frame::getCorrId).containsExactly(8, 10);
    assertThat(replies.get(0).getError().getCode()).isEqualTo(ErrorCode.ERROR_CODE_SYNTAX);
    assertThat(replies.get(1).hasPong()).isTrue();
  }

  @Test
  void aMacOfTheWrongLengthIsAuthForKnownAndUnknownQueuesAlike(Vertx vertx) {
    SessionHarness h = new SessionHarness(vertx, Function.identity()).connected();
    byte[] known = bytes(32, 5).toByteArray();
    h.queues.add(known, bytes(32, 6).toByteArray());
    List<Frame> replies = new ArrayList<>();
    int corr = 1;
    for (byte[] recipient : List.of(known, bytes(32, 9).toByteArray())) {
      for (int macLength : new int[] {0, 31, 33}) {
        replies.addAll(h.exchange(subscribe(corr++, recipient, macLength)));
      }
    }
    assertThat(replies).hasSize(6);
    assertThat(replies)
        .extracting(f -> f.getError().getCode())
        .containsOnly(ErrorCode.ERROR_CODE_AUTH);
    // refused before the command path: the same answer whether or not the queue exists
    assertThat(h.queues.authorizeCalls).hasValue(0);
    // a MAC of the right length reaches it
    assertThat(h.exchange(subscribe(corr, known, 32)).get(0).hasOk()).isTrue();
    assertThat(h.queues.authorizeCalls).hasValue(1);
  }

  @Test
  void wrongSizesAreSizeErrors(Vertx vertx) {
    SessionHarness h = new SessionHarness(vertx, Function.identity()).connected();
    List<Frame> replies = new ArrayList<>(h.exchange(send(1, bytes(31, 1), E)));
    replies.addAll(h.exchange(send(2, bytes(32, 1), E - 1)));
    replies.addAll(
        h.exchange(
            Frame.newBuilder()
                .setCorrId(3)
                .setRecipientCommand(
                    RecipientCommand.newBuilder()
                        .setRecipientId(bytes(33, 1))
                        .setMac(bytes(32, 0))
                        .setCommand(subscribeOp()))
                .build()));
    assertThat(replies).hasSize(3);
    assertThat(replies)
        .extracting(f -> f.getError().getCode())
        .containsOnly(ErrorCode.ERROR_CODE_SIZE);
    assertThat(h.queues.sendCalls).hasValue(0);
  }

  @Test
  void commandsBeyondMaxOutstandingInOneBlockGetRate(Vertx vertx) {
    SessionHarness h = new SessionHarness(vertx, s -> withMaxOutstanding(s, 4)).connected();
    h.queues.hold = true; // no authorization completes: all stay outstanding
    List<Frame> commands = new ArrayList<>();
    for (int corr = 1; corr <= 6; corr++) {
      commands.add(subscribe(corr, bytes(32, 1).toByteArray(), 32));
    }
    List<Frame> replies = h.exchange(commands.toArray(Frame[]::new));
    assertThat(replies).extracting(Frame::getCorrId).containsExactly(5, 6);
    assertThat(replies)
        .extracting(f -> f.getError().getCode())
        .containsOnly(ErrorCode.ERROR_CODE_RATE);
    assertThat(h.session.started).isEqualTo(4);
    assertThat(h.queues.authorizeCalls).hasValue(4);
  }

  static Frame send(int corr, com.google.protobuf.ByteString senderId, int envelopeSize) {
    return Frame.newBuilder()
        .setCorrId(corr)
        .setSend(Send.newBuilder().setSenderId(senderId).setEnvelope(bytes(envelopeSize, 3)))
        .build();
  }

  static Frame subscribe(int corr, byte[] recipientId, int macLength) {
    return recipientCommand(corr, recipientId, macLength, subscribeOp());
  }

  static Frame recipientCommand(
      int corr, byte[] recipientId, int macLength, com.google.protobuf.ByteString op) {
    return Frame.newBuilder()
        .setCorrId(corr)
        .setRecipientCommand(
            RecipientCommand.newBuilder()
                .setRecipientId(com.google.protobuf.ByteString.copyFrom(recipientId))
                .setMac(bytes(macLength, 0))
                .setCommand(op))
        .build();
  }

  static com.google.protobuf.ByteString subscribeOp() {
    return RecipientOp.newBuilder()
        .setSubscribe(Subscribe.getDefaultInstance())
        .build()
        .toByteString();
  }

  static ProtocolSettings withMaxOutstanding(ProtocolSettings s, int maxOutstanding) {
    return new ProtocolSettings(
        s.blockSize(),
        s.envelopeSize(),
        s.maxWindow(),
        s.maxFramesPerBlock(),
        s.maxQueuesPerSession(),
        maxOutstanding,
        s.maxBlocksPerSession(),
        s.maxQueueMessages(),
        s.messageTtlSeconds(),
        s.idleTimeoutSeconds(),
        s.createToken(),
        s.createBurst(),
        s.createPerSecond(),
        s.envelopeCredit());
  }
}
