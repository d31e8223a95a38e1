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
 * Issue 13 over real sockets and a RocksDB store: small replies that become ready a few
 * milliseconds apart share one block, within the relay's {@code session.coalesce} bound; pushes
 * never wait; nothing is lost or reordered, and every block is still exactly B bytes.
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
  void pongsOfPingsSentInSeparateBlocksWithinTheBoundShareOneBlockThatLeavesByTheBound()
      throws Exception {
    try (TestClient c = fixture.connect()) {
      int before = c.blocksReceived();
      List<CompletableFuture<Frame>> replies = new ArrayList<>();
      List<Integer> corrs = new ArrayList<>();
      long start = System.nanoTime();
      for (int i = 0; i < 5; i++) {
        Frame ping = ping(c);
        corrs.add(ping.getCorrId());
        replies.addAll(c.sendAll(List.of(ping))); // one block each
        TimeUnit.MILLISECONDS.sleep(20);
      }
      CompletableFuture<Frame> first = replies.get(0);
      first.get(BOUND_MILLIS + 10_000, TimeUnit.MILLISECONDS);
      long firstMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      for (CompletableFuture<Frame> r : replies) {
        assertThat(TestClient.await(r).hasPong()).isTrue();
      }

      // without coalescing, five blocks; with it, one, sealed when the first Pong's time was up
      assertThat(c.blocksReceived() - before).isEqualTo(1);
      assertThat(firstMillis).isGreaterThanOrEqualTo(BOUND_MILLIS - 50);
      assertThat(c.replyOrder()).containsExactlyElementsOf(corrs);
      assertEveryBlockIsB(c);
    }
  }

  @Test
  void aPushLeavesAtOnceWhileItsSendersOkWaitsForCompany() throws Exception {
    try (TestClient recipient = fixture.connect();
        TestClient sender = fixture.connect()) {
      QueueCreds queue = recipient.createQueue();
      Frame subscribe =
          recipient.recipientFrame(
              queue, RecipientOp.newBuilder().setSubscribe(Subscribe.getDefaultInstance()).build());
      assertThat(recipient.call(subscribe).hasOk()).isTrue();

      byte[] envelope = sender.randomEnvelope();
      CompletableFuture<Frame> ok =
          sender.sendAll(List.of(sender.sendFrame(queue.senderId(), envelope, null))).get(0);
      Frame push = recipient.nextPush(java.time.Duration.ofSeconds(30));

      assertThat(push).isNotNull();
      assertThat(ok).as("the Send's Ok still waits for company").isNotDone();
      Message message = push.getMessage();
      assertThat(recipient.open(queue, message)).isEqualTo(envelope);
      assertThat(TestClient.await(ok).hasOk()).isTrue(); // by the bound
      assertEveryBlockIsB(recipient);
      assertEveryBlockIsB(sender);
    }
  }

  @Test
  void repliesInBurstsAcrossManyBlocksArriveAllInOrderInFewerBlocks() throws Exception {
    try (TestClient c = fixture.connect()) {
      int before = c.blocksReceived();
      List<Integer> corrs = new ArrayList<>();
      List<CompletableFuture<Frame>> replies = new ArrayList<>();
      int bursts = 20;
      for (int b = 0; b < bursts; b++) {
        List<Frame> burst = IntStream.range(0, 30).mapToObj(i -> ping(c)).toList();
        burst.forEach(f -> corrs.add(f.getCorrId()));
        replies.addAll(c.sendAll(burst)); // one block of 30 Pings
        TimeUnit.MILLISECONDS.sleep(5);
      }
      for (CompletableFuture<Frame> r : replies) {
        assertThat(TestClient.await(r).hasPong()).isTrue();
      }
      assertThat(c.replyOrder()).containsExactlyElementsOf(corrs);
      // 600 Pongs of about 6 bytes each fit in a handful of blocks, not one per burst
      assertThat(c.blocksReceived() - before).isLessThan(bursts / 2);
      assertEveryBlockIsB(c);
    }
  }
}
