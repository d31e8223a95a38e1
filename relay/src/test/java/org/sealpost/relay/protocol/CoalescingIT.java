package org.sealpost.relay.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.proto.v1.Frame;
import org.sealpost.proto.v1.Message;
import org.sealpost.proto.v1.Ping;
import org.sealpost.proto.v1.RecipientOp;
import org.sealpost.proto.v1.Subscribe;
import org.sealpost.relay.protocol.TestClient.QueueCreds;

/**
 * Issue 13 over real sockets and a RocksDB store: small replies that become ready while other
 * commands of the session are in flight share one block, within the relay's {@code
 * session.coalesce} bound; a lone reply and pushes never wait; nothing is lost or reordered, and
 * every block is still exactly B bytes.
 */
class CoalescingIT {
  /** Long enough that a loaded machine's scheduling cannot split the tests' bursts. */
  private static final long BOUND_MILLIS = 1_000;

  @TempDir static Path dataDir;
  static RelayFixture fixture;

  @BeforeAll
  static void start() {
    fixture =
        RelayFixture.start(
            dataDir,
            Map.of("session.coalesce", BOUND_MILLIS + "ms", "forward.enabled", "false"),
            UnaryOperator.identity());
  }

  @AfterAll
  static void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  private static Frame ping(TestClient c) {
    return Frame.newBuilder().setCorrId(c.nextCorr()).setPing(Ping.getDefaultInstance()).build();
  }

  private static void assertEveryBlockIsB(TestClient c) {
    assertThat(c.messageLengths()).isNotEmpty().containsOnly(c.blockSize());
    assertThat(c.isClosed()).isFalse();
  }

  @Test
  void okOfSendsPipelinedInSeparateBlocksShareFewBlocks() throws Exception {
    try (TestClient recipient = fixture.connect();
        TestClient sender = fixture.connect()) {
      QueueCreds queue = recipient.createQueue();
      int before = sender.blocksReceived();
      int sends = 30;
      List<Integer> corrs = new ArrayList<>();
      List<Frame> frames = new ArrayList<>();
      for (int i = 0; i < sends; i++) { // one block each: an envelope fills a block
        Frame send = sender.sendFrame(queue.senderId(), sender.randomEnvelope(), null);
        corrs.add(send.getCorrId());
        frames.add(send);
      }
      // written back to back: made one at a time between writes, the Sends had gaps in which a
      // fast store (a temp dir whose fsync costs nothing) answered the ones already in, and their
      // Oks left before the next Send arrived (7 blocks, 2026-12-06)
      List<CompletableFuture<Frame>> replies = sender.sendAll(frames);
      for (CompletableFuture<Frame> r : replies) {
        assertThat(TestClient.await(r).hasOk()).isTrue();
      }
      // every Ok exactly once; while Sends were in flight their Oks waited for each other
      assertThat(sender.replyOrder()).containsExactlyInAnyOrderElementsOf(corrs);
      assertThat(sender.blocksReceived() - before).isLessThanOrEqualTo(3);
      assertEveryBlockIsB(sender);
    }
  }

  @Test
  void aLoneReplyIsNotHeldAlthoughTheBoundIsLong() throws Exception {
    try (TestClient c = fixture.connect()) {
      long start = System.nanoTime();
      assertThat(c.call(ping(c)).hasPong()).isTrue();
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(millis).isLessThan(BOUND_MILLIS / 2);
      assertEveryBlockIsB(c);
    }
  }

  @Test
  void aPushIsNeverHeldAndDeliversItsEnvelope() throws Exception {
    try (TestClient recipient = fixture.connect();
        TestClient sender = fixture.connect()) {
      QueueCreds queue = recipient.createQueue();
      Frame subscribe =
          recipient.recipientFrame(
              queue, RecipientOp.newBuilder().setSubscribe(Subscribe.getDefaultInstance()).build());
      assertThat(recipient.call(subscribe).hasOk()).isTrue();

      List<byte[]> envelopes = new ArrayList<>();
      List<Frame> sends = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        envelopes.add(sender.randomEnvelope());
        sends.add(sender.sendFrame(queue.senderId(), envelopes.get(i), null));
      }
      for (Frame send : sends) {
        assertThat(sender.call(send).hasOk()).isTrue(); // one at a time: stored in this order
      }
      for (byte[] envelope : envelopes) {
        Frame push = recipient.nextPush(java.time.Duration.ofSeconds(30));
        assertThat(push).isNotNull();
        Message message = push.getMessage();
        assertThat(recipient.open(queue, message)).isEqualTo(envelope);
      }
      assertEveryBlockIsB(recipient);
      assertEveryBlockIsB(sender);
    }
  }

  @Test
  void repliesAcrossManyBlocksArriveAllAndInOrder() throws Exception {
    try (TestClient c = fixture.connect()) {
      List<Integer> corrs = new ArrayList<>();
      List<CompletableFuture<Frame>> replies = new ArrayList<>();
      for (int b = 0; b < 20; b++) {
        List<Frame> burst = IntStream.range(0, 30).mapToObj(i -> ping(c)).toList();
        burst.forEach(f -> corrs.add(f.getCorrId()));
        replies.addAll(c.sendAll(burst)); // one block of 30 Pings
      }
      for (CompletableFuture<Frame> r : replies) {
        assertThat(TestClient.await(r).hasPong()).isTrue();
      }
      assertThat(c.replyOrder()).containsExactlyElementsOf(corrs);
      assertEveryBlockIsB(c);
    }
  }
}
