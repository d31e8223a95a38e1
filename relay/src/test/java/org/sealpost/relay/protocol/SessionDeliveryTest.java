package org.sealpost.relay.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sealpost.relay.protocol.CommandDispatcherTest.recipientCommand;
import static org.sealpost.relay.protocol.CommandDispatcherTest.send;
import static org.sealpost.relay.protocol.CommandDispatcherTest.subscribe;
import static org.sealpost.relay.protocol.ProtocolSessionHandlerTest.bytes;

import com.google.protobuf.ByteString;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sealpost.mailbox.QueueId;
import org.sealpost.proto.codec.BlockCodec;
import org.sealpost.proto.crypto.DeliveryCipher;
import org.sealpost.proto.v1.Ack;
import org.sealpost.proto.v1.DeleteQueue;
import org.sealpost.proto.v1.ErrorCode;
import org.sealpost.proto.v1.Frame;
import org.sealpost.proto.v1.Get;
import org.sealpost.proto.v1.RecipientOp;

/**
 * A session's delivery, byte-fed: the window, acks, output room, QuotaReached and End, through the
 * real handler and an in-memory command path.
 */
@ExtendWith(VertxExtension.class)
class SessionDeliveryTest {
  private static final int E = BlockCodec.envelopeSize(SessionHarness.B);
  private static final byte[] RECIPIENT = bytes(32, 0x11).toByteArray();
  private static final ByteString SENDER = bytes(32, 0x22);

  private static ProtocolSettings tuned(ProtocolSettings s, int window, int quota) {
    return new ProtocolSettings(
        s.blockSize(),
        s.envelopeSize(),
        window,
        s.maxFramesPerBlock(),
        s.maxQueuesPerSession(),
        s.maxOutstanding(),
        s.maxBlocksPerSession(),
        quota,
        s.messageTtlSeconds(),
        s.idleTimeoutSeconds(),
        s.createToken(),
        s.createBurst(),
        s.createPerSecond(),
        s.envelopeCredit());
  }

  private static SessionHarness harness(Vertx vertx, int window, int quota) {
    return new SessionHarness(vertx, s -> tuned(s, window, quota)).connected();
  }

  @Test
  void aSubscriptionPushesWithinTheWindowAndEachAckLetsOneMoreThrough(Vertx vertx)
      throws Exception {
    SessionHarness h = harness(vertx, 2, 100);
    h.queues.add(RECIPIENT, SENDER.toByteArray());
    for (int corr = 1; corr <= 3; corr++) {
      h.exchange(send(corr, SENDER, E));
    }
    List<Frame> frames = h.exchange(subscribe(4, RECIPIENT, 32));
    assertThat(frames.get(0).getCorrId()).isEqualTo(4);
    assertThat(frames.get(0).hasOk()).isTrue();
    List<Frame> pushes = frames.subList(1, frames.size());
    assertThat(pushes).hasSize(2).allSatisfy(f -> assertThat(f.hasMessage()).isTrue());
    assertThat(pushes).extracting(Frame::getCorrId).containsOnly(0);
    // the push decrypts with the queue's delivery key to the stored envelope
    byte[] opened =
        new DeliveryCipher(E)
            .decrypt(
                FakeQueueService.deliveryKey(),
                pushes.get(0).getMessage().getMessageId().toByteArray(),
                RECIPIENT,
                pushes.get(0).getMessage().getEncryptedEnvelope().toByteArray());
    assertThat(opened).isEqualTo(bytes(E, 3).toByteArray());

    List<Frame> afterAck = h.exchange(ack(5, pushes.get(0)));
    assertThat(afterAck.get(0).getCorrId()).isEqualTo(5);
    assertThat(afterAck.get(0).hasOk()).isTrue();
    assertThat(afterAck.subList(1, afterAck.size()))
        .singleElement()
        .satisfies(f -> assertThat(f.hasMessage()).isTrue());
  }

  // issue 13: an Ack with corr_id 0 needs no Ok
  @Test
  void anUnansweredAckDeletesTheEnvelopeAndPushesTheNextWithoutAnyReply(Vertx vertx) {
    SessionHarness h = harness(vertx, 1, 100);
    QueueId queue = h.queues.add(RECIPIENT, SENDER.toByteArray());
    h.exchange(send(1, SENDER, E));
    h.exchange(send(2, SENDER, E));
    List<Frame> frames = h.exchange(subscribe(3, RECIPIENT, 32));
    Frame first = frames.stream().filter(Frame::hasMessage).findFirst().orElseThrow();
    assertThat(frames).filteredOn(Frame::hasMessage).hasSize(1); // a window of one

    List<Frame> afterAck = h.exchange(ack(0, first));
    // no Ok, no Error: the only frame is the next push, which the freed window slot let out
    assertThat(afterAck).singleElement().satisfies(f -> assertThat(f.hasMessage()).isTrue());
    assertThat(h.queues.stored(queue)).isEqualTo(1);

    // one that fails (a queue this session does not hold) is not answered either
    Frame stray =
        Frame.newBuilder()
            .setAck(
                Ack.newBuilder()
                    .setRecipientId(ByteString.copyFrom(new byte[32]))
                    .setMessageId(first.getMessage().getMessageId()))
            .build();
    assertThat(h.exchange(stray)).isEmpty();
  }

  // issue 13: the client does not count its unanswered Acks against max_outstanding (§4.5)
  @Test
  void unansweredAcksInFlightDoNotMakeAnsweredCommandsRate(Vertx vertx) {
    SessionHarness h =
        new SessionHarness(
                vertx, s -> CommandDispatcherTest.withMaxOutstanding(tuned(s, 2, 100), 2))
            .connected();
    h.queues.add(RECIPIENT, SENDER.toByteArray());
    h.exchange(send(1, SENDER, E));
    h.exchange(send(2, SENDER, E));
    List<Frame> pushes =
        h.exchange(subscribe(3, RECIPIENT, 32)).stream().filter(Frame::hasMessage).toList();
    assertThat(pushes).hasSize(2);

    h.queues.holdAcks = true; // both Acks stay in flight
    h.queues.hold = true; // and so do the two answered commands below
    List<Frame> replies =
        h.exchange(
            ack(0, pushes.get(0)),
            ack(0, pushes.get(1)),
            subscribe(4, bytes(32, 0x33).toByteArray(), 32),
            subscribe(5, bytes(32, 0x44).toByteArray(), 32));
    // two answered commands in flight is within max_outstanding = 2: neither is refused RATE
    assertThat(replies).isEmpty();
    assertThat(h.queues.authorizeCalls).hasValue(3);

    // a third answered command is beyond the bound, Acks or no Acks
    assertThat(h.exchange(subscribe(6, bytes(32, 0x55).toByteArray(), 32)))
        .singleElement()
        .satisfies(f -> assertThat(f.getError().getCode()).isEqualTo(ErrorCode.ERROR_CODE_RATE));
  }

  @Test
  void pushesWaitForOutputRoom(Vertx vertx) {
    SessionHarness h = harness(vertx, 8, 100);
    h.queues.add(RECIPIENT, SENDER.toByteArray());
    h.exchange(send(1, SENDER, E));
    h.session.writable = false;
    List<Frame> frames = h.exchange(subscribe(2, RECIPIENT, 32));
    assertThat(frames).singleElement().satisfies(f -> assertThat(f.hasOk()).isTrue());
    h.onContext(
        () -> {
          h.session.drain();
          return null;
        });
    assertThat(h.received()).singleElement().satisfies(f -> assertThat(f.hasMessage()).isTrue());
  }

  @Test
  void aRefusedSendTellsTheSubscriberOnceUntilAnAckFreesRoom(Vertx vertx) {
    SessionHarness h = harness(vertx, 8, 1);
    h.queues.add(RECIPIENT, SENDER.toByteArray());
    List<Frame> subscribed = h.exchange(subscribe(1, RECIPIENT, 32));
    assertThat(subscribed).singleElement().satisfies(f -> assertThat(f.hasOk()).isTrue());
    List<Frame> first = h.exchange(send(2, SENDER, E));
    Frame pushed = first.stream().filter(Frame::hasMessage).findFirst().orElseThrow();
    // the Send that stored the last envelope the quota allows tells nothing (protocol §4.5)
    assertThat(first).noneMatch(Frame::hasQuotaReached);
    List<Frame> refused = h.exchange(send(3, SENDER, E));
    assertThat(refused).anySatisfy(f -> assertThat(f.hasQuotaReached()).isTrue());
    assertThat(refused)
        .filteredOn(f -> f.getCorrId() == 3)
        .singleElement()
        .satisfies(f -> assertThat(f.getError().getCode()).isEqualTo(ErrorCode.ERROR_CODE_QUOTA));
    // told once: a second refusal pushes nothing new
    assertThat(h.exchange(send(4, SENDER, E))).noneMatch(Frame::hasQuotaReached);
    h.exchange(ack(5, pushed));
    assertThat(h.exchange(send(6, SENDER, E))).noneMatch(Frame::hasQuotaReached); // room again
    assertThat(h.exchange(send(7, SENDER, E))).anyMatch(Frame::hasQuotaReached);
  }

  @Test
  void anEvictionEndsTheSubscriptionAndAnAckForItIsAuth(Vertx vertx) {
    SessionHarness h = harness(vertx, 8, 100);
    QueueId queue = h.queues.add(RECIPIENT, SENDER.toByteArray());
    h.exchange(subscribe(1, RECIPIENT, 32));
    h.subscriptions.evict(queue);
    List<Frame> ended = h.received();
    assertThat(ended).singleElement().satisfies(f -> assertThat(f.hasEnd()).isTrue());
    assertThat(ended.get(0).getEnd().getRecipientId()).isEqualTo(ByteString.copyFrom(RECIPIENT));
    Frame ack =
        Frame.newBuilder()
            .setCorrId(2)
            .setAck(
                Ack.newBuilder()
                    .setRecipientId(ByteString.copyFrom(RECIPIENT))
                    .setMessageId(bytes(12, 1)))
            .build();
    assertThat(h.exchange(ack).get(0).getError().getCode()).isEqualTo(ErrorCode.ERROR_CODE_AUTH);
  }

  @Test
  void deleteQueueReleasesTheSubscriptionWithoutEndingItsOwnSession(Vertx vertx) {
    SessionHarness h = harness(vertx, 8, 100);
    QueueId queue = h.queues.add(RECIPIENT, SENDER.toByteArray());
    h.exchange(subscribe(1, RECIPIENT, 32));
    assertThat(h.subscriptions.size()).isEqualTo(1);
    List<Frame> frames =
        h.exchange(
            recipientCommand(
                2,
                RECIPIENT,
                32,
                RecipientOp.newBuilder()
                    .setDeleteQueue(DeleteQueue.getDefaultInstance())
                    .build()
                    .toByteString()));
    assertThat(frames).singleElement().satisfies(f -> assertThat(f.hasOk()).isTrue());
    assertThat(h.subscriptions.size()).isZero();
    assertThat(h.queues.stored(queue)).isEqualTo(-1);
  }

  @Test
  void getAnswersTheOldestEnvelopeOrOkWhenEmpty(Vertx vertx) {
    SessionHarness h = harness(vertx, 8, 100);
    h.queues.add(RECIPIENT, SENDER.toByteArray());
    ByteString getOp =
        RecipientOp.newBuilder().setGet(Get.getDefaultInstance()).build().toByteString();
    assertThat(h.exchange(recipientCommand(1, RECIPIENT, 32, getOp)).get(0).hasOk()).isTrue();
    h.exchange(send(2, SENDER, E));
    Frame got = h.exchange(recipientCommand(3, RECIPIENT, 32, getOp)).get(0);
    assertThat(got.getCorrId()).isEqualTo(3);
    assertThat(got.hasMessage()).isTrue();
    assertThat(h.exchange(ack(4, got)).get(0).hasOk()).isTrue();
  }

  // issue 13: small replies wait for company only while more is coming; pushes never wait
  @Test
  void withNothingElseInFlightRepliesAndPushesLeaveAtOnceWhateverTheBound(Vertx vertx) {
    // a minute's bound: anything held would not come back within the exchange
    SessionHarness h = new SessionHarness(vertx, s -> tuned(s, 8, 100), 60_000).connected();
    h.queues.add(RECIPIENT, SENDER.toByteArray());
    assertThat(h.exchange(subscribe(1, RECIPIENT, 32)))
        .singleElement()
        .satisfies(f -> assertThat(f.hasOk()).isTrue());

    List<Frame> frames = h.exchange(send(2, SENDER, E));

    assertThat(frames).extracting(Frame::getCorrId).containsExactly(2, 0);
    assertThat(frames.get(0).hasOk()).isTrue();
    assertThat(frames.get(1).hasMessage()).isTrue();
    assertThat(h.session.finished).isEqualTo(2);
    assertThat(h.session.sent).allSatisfy(b -> assertThat(b).hasSize(SessionHarness.B));
  }

  private static Frame ack(int corr, Frame message) {
    return Frame.newBuilder()
        .setCorrId(corr)
        .setAck(
            Ack.newBuilder()
                .setRecipientId(message.getMessage().getRecipientId())
                .setMessageId(message.getMessage().getMessageId()))
        .build();
  }
}
