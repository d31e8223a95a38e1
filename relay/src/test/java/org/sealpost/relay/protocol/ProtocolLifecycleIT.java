package org.sealpost.relay.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.proto.v1.DeleteQueue;
import org.sealpost.proto.v1.ErrorCode;
import org.sealpost.proto.v1.Forward;
import org.sealpost.proto.v1.Frame;
import org.sealpost.proto.v1.Get;
import org.sealpost.proto.v1.Message;
import org.sealpost.proto.v1.Ping;
import org.sealpost.proto.v1.RecipientOp;
import org.sealpost.proto.v1.RelayHello;
import org.sealpost.proto.v1.SecureQueue;
import org.sealpost.proto.v1.Subscribe;
import org.sealpost.relay.protocol.TestClient.QueueCreds;

/** Protocol v1 end to end over real sockets, against a relay with a RocksDB store. */
class ProtocolLifecycleIT {
  private static final Duration PUSH_WAIT = Duration.ofSeconds(10);
  private static final Duration QUIET = Duration.ofMillis(300);
  private static final int WINDOW = 4;

  @TempDir static Path dataDir;
  static RelayFixture fixture;

  @BeforeAll
  static void start() {
    fixture =
        RelayFixture.start(
            dataDir,
            Map.of(
                "delivery.window",
                Integer.toString(WINDOW),
                "queue.quota",
                "8",
                "forward.enabled",
                "false",
                // the tests create many queues: the relay-wide CreateQueue rate must not refuse
                // them
                "queue.create-rate-global",
                "100000"),
            s -> s.withCreateRate(10_000, 10_000));
  }

  @AfterAll
  static void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  static RecipientOp subscribe() {
    return RecipientOp.newBuilder().setSubscribe(Subscribe.getDefaultInstance()).build();
  }

  static RecipientOp get() {
    return RecipientOp.newBuilder().setGet(Get.getDefaultInstance()).build();
  }

  static RecipientOp delete() {
    return RecipientOp.newBuilder().setDeleteQueue(DeleteQueue.getDefaultInstance()).build();
  }

  static RecipientOp secure(byte[] token) {
    return RecipientOp.newBuilder()
        .setSecureQueue(SecureQueue.newBuilder().setSendToken(ByteString.copyFrom(token)))
        .build();
  }

  static void assertOk(Frame reply) {
    assertThat(reply.getBodyCase()).as("reply %s", reply).isEqualTo(Frame.BodyCase.OK);
  }

  static void assertError(Frame reply, ErrorCode code) {
    assertThat(reply.getBodyCase()).as("reply %s", reply).isEqualTo(Frame.BodyCase.ERROR);
    assertThat(reply.getError().getCode()).isEqualTo(code);
  }

  @Test
  void relayHelloAnnouncesTheConfiguredLimits() {
    try (TestClient client = fixture.connect()) {
      RelayHello hello = client.hello();
      assertThat(hello.getVersion()).isEqualTo(1);
      assertThat(hello.getBlockSize()).isEqualTo(16359);
      assertThat(hello.getEnvelopeSize()).isEqualTo(16359 - 512);
      assertThat(hello.getMaxWindow()).isEqualTo(WINDOW);
      assertThat(hello.getMaxQueueMessages()).isEqualTo(8);
      assertThat(hello.getForwardSupported()).isFalse();
      assertThat(hello.getCreationTokenRequired()).isFalse();
      assertThat(hello.getMaxOutstanding()).isPositive();
    }
  }

  @Test
  void fullLifecycleCreateSecureSendSubscribeAckGetDelete() throws Exception {
    try (TestClient recipient = fixture.connect();
        TestClient sender = fixture.connect()) {
      QueueCreds queue = recipient.createQueue();
      assertThat(queue.recipientId()).hasSize(32).isNotEqualTo(queue.senderId());

      byte[] token = TestClient.randomBytes(16);
      assertOk(recipient.call(recipient.recipientFrame(queue, secure(token))));

      // a secured queue refuses Sends without the token, or with another one
      byte[] first = sender.randomEnvelope();
      assertError(
          sender.call(sender.sendFrame(queue.senderId(), first, null)), ErrorCode.ERROR_CODE_AUTH);
      assertError(
          sender.call(sender.sendFrame(queue.senderId(), first, TestClient.randomBytes(16))),
          ErrorCode.ERROR_CODE_AUTH);

      byte[] second = sender.randomEnvelope();
      assertOk(sender.call(sender.sendFrame(queue.senderId(), first, token)));
      assertOk(sender.call(sender.sendFrame(queue.senderId(), second, token)));

      // Get returns the oldest pending envelope, with the Get's corr_id
      Frame got = recipient.call(recipient.recipientFrame(queue, get()));
      assertThat(got.hasMessage()).as("Get reply %s", got.getBodyCase()).isTrue();
      assertThat(recipient.open(queue, got.getMessage())).isEqualTo(first);

      // subscribe: both pending envelopes are pushed (corr_id 0), re-encrypted per queue
      assertOk(recipient.call(recipient.recipientFrame(queue, subscribe())));
      Message push1 = nextMessage(recipient);
      Message push2 = nextMessage(recipient);
      assertThat(recipient.open(queue, push1)).isEqualTo(first);
      assertThat(recipient.open(queue, push2)).isEqualTo(second);
      assertThat(push1.getEncryptedEnvelope().size()).isEqualTo(first.length + 16);
      assertThat(push1.getMessageId()).isEqualTo(got.getMessage().getMessageId());

      // ack deletes: Get now sees the second envelope
      assertOk(recipient.call(recipient.ackFrame(queue, push1.getMessageId())));
      Frame afterAck = recipient.call(recipient.recipientFrame(queue, get()));
      assertThat(recipient.open(queue, afterAck.getMessage())).isEqualTo(second);

      // a Send while subscribed is pushed at once
      byte[] third = sender.randomEnvelope();
      assertOk(sender.call(sender.sendFrame(queue.senderId(), third, token)));
      assertThat(recipient.open(queue, nextMessage(recipient))).isEqualTo(third);

      assertOk(recipient.call(recipient.ackFrame(queue, push2.getMessageId())));

      // delete: every later recipient command and every Send is AUTH
      assertOk(recipient.call(recipient.recipientFrame(queue, delete())));
      assertError(
          recipient.call(recipient.recipientFrame(queue, get())), ErrorCode.ERROR_CODE_AUTH);
      assertError(
          recipient.call(recipient.recipientFrame(queue, subscribe())), ErrorCode.ERROR_CODE_AUTH);
      assertError(
          sender.call(sender.sendFrame(queue.senderId(), sender.randomEnvelope(), token)),
          ErrorCode.ERROR_CODE_AUTH);

      // nothing about the queue in the metrics
      String metrics = fixture.scrape();
      for (byte[] id : List.of(queue.recipientId(), queue.senderId(), token)) {
        assertThat(metrics)
            .doesNotContain(HexFormat.of().formatHex(id))
            .doesNotContain(Base64.getEncoder().withoutPadding().encodeToString(id))
            .doesNotContain(Base64.getUrlEncoder().withoutPadding().encodeToString(id));
      }
      assertThat(metrics)
          .contains("sealpost_commands_total{command=\"send\",outcome=\"ok\"}")
          .contains("sealpost_pushes_total{kind=\"message\"}");
    }
  }

  @Test
  void theProtocolRunsOverTls(@TempDir Path otherDir) throws Exception {
    try (RelayFixture tls =
        RelayFixture.start(otherDir, Map.of("tls.enabled", "true"), noCreateLimit())) {
      TestClient.RawSocket socket = TestClient.raw(tls.vertx, tls.relay.port(), true);
      try (TestClient client =
          TestClient.connect(
              socket, tls.relay.relayPublicKey(), tls.relay.config().blockSize(), List.of(1))) {
        QueueCreds queue = client.createQueue();
        byte[] envelope = client.randomEnvelope();
        assertOk(client.call(client.sendFrame(queue.senderId(), envelope, null)));
        assertOk(client.call(client.recipientFrame(queue, subscribe())));
        assertThat(client.open(queue, nextMessage(client))).isEqualTo(envelope);
      }
    }
  }

  @Test
  void getOnAnEmptyQueueAnswersOkAndAckOfAnUnboundQueueIsAuth() {
    try (TestClient client = fixture.connect();
        TestClient other = fixture.connect()) {
      QueueCreds queue = client.createQueue();
      ByteString someId = ByteString.copyFrom(TestClient.randomBytes(12));
      // no Subscribe or Get in this session yet: Ack is refused
      assertError(client.call(client.ackFrame(queue, someId)), ErrorCode.ERROR_CODE_AUTH);
      assertOk(client.call(client.recipientFrame(queue, get())));
      // after a Get, Acks are allowed (an unknown message ID is simply already gone)
      assertOk(client.call(client.ackFrame(queue, someId)));
      // but not in another session
      assertError(other.call(other.ackFrame(queue, someId)), ErrorCode.ERROR_CODE_AUTH);
    }
  }

  @Test
  void macdCommandReplayedInAnotherSessionIsAuth() {
    try (TestClient first = fixture.connect();
        TestClient second = fixture.connect()) {
      QueueCreds queue = first.createQueue();
      Frame command = first.recipientFrame(queue, get());
      assertOk(first.call(command));
      // the same bytes, MAC bound to the first session's handshake hash
      Frame replayed = command.toBuilder().setCorrId(second.nextCorr()).build();
      assertError(second.call(replayed), ErrorCode.ERROR_CODE_AUTH);
      // the queue itself is fine in the second session with a fresh MAC
      assertOk(second.call(second.recipientFrame(queue, get())));
    }
  }

  @Test
  void unknownQueueAndBadMacGiveTheIdenticalAuthError() {
    try (TestClient client = fixture.connect()) {
      QueueCreds queue = client.createQueue();
      Frame badMac =
          client.recipientFrame(
              queue.recipientId(), TestClient.randomBytes(32), get(), client.handshakeHash());
      Frame unknown =
          client.recipientFrame(
              TestClient.randomBytes(32), queue.macKey(), get(), client.handshakeHash());
      Frame a = client.call(badMac);
      Frame b = client.call(unknown);
      assertError(a, ErrorCode.ERROR_CODE_AUTH);
      // byte-identical apart from the corr_id
      assertThat(a.toBuilder().setCorrId(0).build().toByteString())
          .isEqualTo(b.toBuilder().setCorrId(0).build().toByteString());
    }
  }

  @Test
  void secondSubscriberEvictsTheFirstWithEnd() throws Exception {
    try (TestClient first = fixture.connect();
        TestClient second = fixture.connect();
        TestClient sender = fixture.connect()) {
      QueueCreds queue = first.createQueue();
      assertOk(first.call(first.recipientFrame(queue, subscribe())));
      assertOk(second.call(second.recipientFrame(queue, subscribe())));

      Frame end = first.nextPush(PUSH_WAIT);
      assertThat(end).isNotNull();
      assertThat(end.hasEnd()).as("push %s", end.getBodyCase()).isTrue();
      assertThat(end.getEnd().getRecipientId()).isEqualTo(queue.recipientIdBytes());

      byte[] envelope = sender.randomEnvelope();
      assertOk(sender.call(sender.sendFrame(queue.senderId(), envelope, null)));
      assertThat(second.open(queue, nextMessage(second))).isEqualTo(envelope);
      assertThat(first.nextPush(QUIET)).as("the evicted session gets nothing").isNull();
      // the evicted session may no longer Ack
      assertError(
          first.call(first.ackFrame(queue, ByteString.copyFrom(new byte[12]))),
          ErrorCode.ERROR_CODE_AUTH);
    }
  }

  @Test
  void deletingAQueueEndsItsSubscriptionInAnotherSession() throws Exception {
    try (TestClient subscriber = fixture.connect();
        TestClient owner = fixture.connect()) {
      QueueCreds queue = owner.createQueue();
      assertOk(subscriber.call(subscriber.recipientFrame(queue, subscribe())));
      assertOk(owner.call(owner.recipientFrame(queue, delete())));
      Frame end = subscriber.nextPush(PUSH_WAIT);
      assertThat(end).isNotNull();
      assertThat(end.hasEnd()).as("push %s", end.getBodyCase()).isTrue();
      assertThat(end.getEnd().getRecipientId()).isEqualTo(queue.recipientIdBytes());
      assertThat(owner.nextPush(QUIET)).as("the deleting session gets no End").isNull();
    }
  }

  @Test
  void windowHoldsUnderASlowConsumer() throws Exception {
    try (TestClient recipient = fixture.connect();
        TestClient sender = fixture.connect()) {
      QueueCreds queue = recipient.createQueue();
      int total = 7; // one below the quota of 8, so no QuotaReached push interleaves
      List<byte[]> sent = new ArrayList<>();
      for (int i = 0; i < total; i++) {
        byte[] e = sender.randomEnvelope();
        sent.add(e);
        assertOk(sender.call(sender.sendFrame(queue.senderId(), e, null)));
      }
      assertOk(recipient.call(recipient.recipientFrame(queue, subscribe())));
      List<byte[]> received = new ArrayList<>();
      Set<ByteString> unacked = new HashSet<>();
      while (received.size() < total) {
        // take everything the relay is willing to push now, then check the window
        Message m = nextMessage(recipient);
        unacked.add(m.getMessageId());
        received.add(recipient.open(queue, m));
        Frame more;
        while ((more = recipient.nextPush(QUIET)) != null) {
          assertThat(more.hasMessage()).isTrue();
          unacked.add(more.getMessage().getMessageId());
          received.add(recipient.open(queue, more.getMessage()));
        }
        assertThat(unacked.size()).as("unacknowledged pushes").isLessThanOrEqualTo(WINDOW);
        // the slow consumer acks one at a time
        ByteString oldest = unacked.iterator().next();
        assertOk(recipient.call(recipient.ackFrame(queue, oldest)));
        unacked.remove(oldest);
      }
      assertThat(received).containsExactlyElementsOf(sent);
    }
  }

  @Test
  void fullQueueAnswersQuotaAndTellsTheSubscriber() throws Exception {
    try (TestClient recipient = fixture.connect();
        TestClient sender = fixture.connect()) {
      QueueCreds queue = recipient.createQueue();
      for (int i = 0; i < 7; i++) {
        assertOk(sender.call(sender.sendFrame(queue.senderId(), sender.randomEnvelope(), null)));
      }
      assertOk(recipient.call(recipient.recipientFrame(queue, subscribe())));
      for (int i = 0; i < WINDOW; i++) {
        nextMessage(recipient);
      }
      // the eighth fills the queue; the window is full, so nothing more is pushed yet
      assertOk(sender.call(sender.sendFrame(queue.senderId(), sender.randomEnvelope(), null)));
      assertError(
          sender.call(sender.sendFrame(queue.senderId(), sender.randomEnvelope(), null)),
          ErrorCode.ERROR_CODE_QUOTA);
      Frame push = recipient.nextPush(PUSH_WAIT);
      assertThat(push).isNotNull();
      assertThat(push.hasQuotaReached()).as("push %s", push.getBodyCase()).isTrue();
      assertThat(push.getQuotaReached().getRecipientId()).isEqualTo(queue.recipientIdBytes());
    }
  }

  @Test
  void subscribingToAFullQueueIsToldAtOnce() throws Exception {
    try (TestClient recipient = fixture.connect();
        TestClient sender = fixture.connect()) {
      QueueCreds queue = recipient.createQueue();
      for (int i = 0; i < 8; i++) {
        assertOk(sender.call(sender.sendFrame(queue.senderId(), sender.randomEnvelope(), null)));
      }
      assertOk(recipient.call(recipient.recipientFrame(queue, subscribe())));
      int messages = 0;
      Frame quota = null;
      // the window's pushes and the QuotaReached may come in either order
      for (int i = 0; i < WINDOW + 1 && quota == null; i++) {
        Frame push = recipient.nextPush(PUSH_WAIT);
        assertThat(push).as("a push within %s", PUSH_WAIT).isNotNull();
        if (push.hasQuotaReached()) {
          quota = push;
        } else {
          assertThat(push.hasMessage()).as("push %s", push.getBodyCase()).isTrue();
          messages++;
        }
      }
      assertThat(quota).as("QuotaReached after subscribing to a full queue").isNotNull();
      assertThat(quota.getQuotaReached().getRecipientId()).isEqualTo(queue.recipientIdBytes());
      assertThat(messages).isLessThanOrEqualTo(WINDOW);
    }
  }

  @Test
  void subscribingToAQueueWithRoomSendsNoQuotaReached() throws Exception {
    try (TestClient recipient = fixture.connect();
        TestClient sender = fixture.connect()) {
      QueueCreds queue = recipient.createQueue();
      assertOk(sender.call(sender.sendFrame(queue.senderId(), sender.randomEnvelope(), null)));
      assertOk(recipient.call(recipient.recipientFrame(queue, subscribe())));
      nextMessage(recipient);
      assertThat(recipient.nextPush(QUIET)).isNull();
    }
  }

  @Test
  void aBurstOfGetsLargerThanTheOutboundBoundIsAnsweredWithoutDroppingTheSession(
      @TempDir Path otherDir) {
    // a small outbound bound: without the session's envelope credit, the replies completing
    // together would pass it and the relay would drop this client as a slow reader
    try (RelayFixture small =
            RelayFixture.start(
                otherDir, Map.of("connection.max-outbound-blocks", "4"), noCreateLimit());
        TestClient client = small.connect()) {
      QueueCreds queue = client.createQueue();
      byte[] envelope = client.randomEnvelope();
      assertOk(client.call(client.sendFrame(queue.senderId(), envelope, null)));
      // every reply is a whole block; the connection buffers at most 32 (the default bound)
      List<Frame> gets = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        gets.add(client.recipientFrame(queue, get()));
      }
      long start = System.nanoTime();
      List<Frame> replies = client.pipeline(gets, 200);
      System.out.printf(
          "burst of %d Gets answered in %d ms%n",
          gets.size(), (System.nanoTime() - start) / 1_000_000);
      for (Frame reply : replies) {
        assertThat(reply.hasMessage()).as("reply %s", reply.getBodyCase()).isTrue();
        assertThat(client.open(queue, reply.getMessage())).isEqualTo(envelope);
      }
      assertThat(client.isClosed()).isFalse();
    }
  }

  @Test
  void batchOfSubscribesInOneBlockIsAnsweredInFewBlocks() {
    int count = 150;
    try (TestClient client = fixture.connect()) {
      List<QueueCreds> queues = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        queues.add(client.createQueue());
      }
      List<Frame> frames = new ArrayList<>();
      for (QueueCreds q : queues) {
        frames.add(client.recipientFrame(q, subscribe()));
      }
      int blocksBefore = client.blocksReceived();
      List<CompletableFuture<Frame>> replies = client.sendAll(frames);
      for (CompletableFuture<Frame> reply : replies) {
        assertOk(TestClient.await(reply));
      }
      int blocks = client.blocksReceived() - blocksBefore;
      assertThat(blocks).as("blocks carrying %s Oks", count).isLessThan(count / 3);
    }
  }

  @Test
  void pingPongCoverAndForward() {
    try (TestClient client = fixture.connect()) {
      Frame pong =
          client.call(
              Frame.newBuilder()
                  .setCorrId(client.nextCorr())
                  .setPing(Ping.getDefaultInstance())
                  .build());
      assertThat(pong.hasPong()).isTrue();
      Frame forward =
          client.call(
              Frame.newBuilder()
                  .setCorrId(client.nextCorr())
                  .setForward(Forward.newBuilder().setDestination("sealpost://x@y:1"))
                  .build());
      assertError(forward, ErrorCode.ERROR_CODE_PROHIBITED); // forward.enabled=false (§4.7)
      assertThat(fixture.scrape())
          .contains("sealpost_commands_total{command=\"ping\",outcome=\"ok\"}")
          .doesNotContain(ByteString.copyFrom(client.handshakeHash()).toStringUtf8());
    }
  }

  @Test
  void wrongSizesAreSizeErrorsAndTheSessionGoesOn() {
    try (TestClient client = fixture.connect()) {
      QueueCreds queue = client.createQueue();
      assertError(
          client.call(client.sendFrame(queue.senderId(), new byte[100], null)),
          ErrorCode.ERROR_CODE_SIZE);
      assertError(
          client.call(client.sendFrame(new byte[31], client.randomEnvelope(), null)),
          ErrorCode.ERROR_CODE_SIZE);
      assertError(
          client.call(client.recipientFrame(queue, secure(new byte[15]))),
          ErrorCode.ERROR_CODE_SIZE);
      assertError(
          client.call(client.ackFrame(queue, ByteString.copyFrom(new byte[11]))),
          ErrorCode.ERROR_CODE_SIZE);
      assertOk(client.call(client.recipientFrame(queue, get())));
    }
  }

  static Message nextMessage(TestClient client) throws InterruptedException {
    Frame push = client.nextPush(PUSH_WAIT);
    assertThat(push).as("a push within %s", PUSH_WAIT).isNotNull();
    assertThat(push.hasMessage()).as("push %s", push.getBodyCase()).isTrue();
    assertThat(push.getCorrId()).isZero();
    return push.getMessage();
  }

  static UnaryOperator<ProtocolSettings> noCreateLimit() {
    return s -> s.withCreateRate(100_000, 100_000);
  }
}
