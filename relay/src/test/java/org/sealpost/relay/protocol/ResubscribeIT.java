package org.sealpost.relay.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.proto.crypto.RandomSource;
import org.sealpost.proto.crypto.X25519KeyPair;
import org.sealpost.proto.v1.CreateQueue;
import org.sealpost.proto.v1.Frame;
import org.sealpost.proto.v1.Message;
import org.sealpost.proto.v1.RecipientOp;
import org.sealpost.proto.v1.Subscribe;
import org.sealpost.relay.protocol.TestClient.QueueCreds;

/**
 * A client that reconnects resubscribes all of its queues in batches: 10,000 Subscribes, many per
 * block, all answered, and what arrived while it was away is pushed. (The time it takes is a
 * benchmark figure, printed here, not asserted.)
 */
class ResubscribeIT {
  private static final int QUEUES = 10_000;
  private static final int WINDOW = 500;

  @TempDir Path dataDir;

  @Test
  void reconnectingClientResubscribesTenThousandQueuesInBatches() throws Exception {
    try (RelayFixture fixture =
        RelayFixture.start(dataDir, Map.of(), s -> s.withCreateRate(QUEUES, 1_000_000))) {
      List<QueueCreds> queues;
      RecipientOp subscribe =
          RecipientOp.newBuilder().setSubscribe(Subscribe.getDefaultInstance()).build();
      try (TestClient first = fixture.connect()) {
        int window = Math.min(WINDOW, first.hello().getMaxOutstanding());
        long created = System.nanoTime();
        queues = createQueues(first, window);
        System.out.printf(
            "resubscribe: created %d queues in %d ms%n",
            QUEUES, (System.nanoTime() - created) / 1_000_000);
        List<Frame> subscribes = new ArrayList<>();
        for (QueueCreds q : queues) {
          subscribes.add(first.recipientFrame(q, subscribe));
        }
        long subscribed = System.nanoTime();
        assertAllOk(first.pipeline(subscribes, window));
        System.out.printf(
            "resubscribe: first subscription of %d queues in %d ms%n",
            QUEUES, (System.nanoTime() - subscribed) / 1_000_000);
      }

      // while the client is away, three of its queues receive an envelope
      Set<ByteString> expected = new HashSet<>();
      try (TestClient sender = fixture.connect()) {
        for (int i : new int[] {17, 4_242, 9_999}) {
          QueueCreds q = queues.get(i);
          Frame ok = sender.call(sender.sendFrame(q.senderId(), sender.randomEnvelope(), null));
          assertThat(ok.hasOk()).isTrue();
          expected.add(q.recipientIdBytes());
        }
      }

      try (TestClient again = fixture.connect()) {
        int window = Math.min(WINDOW, again.hello().getMaxOutstanding());
        List<Frame> subscribes = new ArrayList<>();
        for (QueueCreds q : queues) {
          subscribes.add(again.recipientFrame(q, subscribe));
        }
        int blocksBefore = again.blocksReceived();
        long start = System.nanoTime();
        List<Frame> replies = again.pipeline(subscribes, window);
        long millis = (System.nanoTime() - start) / 1_000_000;
        int blocks = again.blocksReceived() - blocksBefore;
        System.out.printf(
            "resubscribe: %d queues in %d ms, %d reply blocks, window %d%n",
            QUEUES, millis, blocks, window);
        assertAllOk(replies);
        // Each Ok waits for its own store lookup, so how many share a block depends on how the
        // completions bunch up: 160-200 blocks on a busy machine, 371-991 on a quiet one. The bound
        // still fails if replies stop sharing blocks (one block per reply would be 10,000).
        assertThat(blocks).as("reply blocks for %s Subscribes", QUEUES).isLessThan(QUEUES / 4);

        Set<ByteString> pushed = new HashSet<>();
        while (pushed.size() < expected.size()) {
          Frame push = again.nextPush(Duration.ofSeconds(10));
          assertThat(push).as("pending envelopes pushed after resubscribing").isNotNull();
          assertThat(push.hasMessage()).as("push %s", push.getBodyCase()).isTrue();
          Message m = push.getMessage();
          pushed.add(m.getRecipientId());
        }
        assertThat(pushed).isEqualTo(expected);
      }
    }
  }

  private static List<QueueCreds> createQueues(TestClient client, int window) {
    List<X25519KeyPair> keys = new ArrayList<>();
    List<Frame> creates = new ArrayList<>();
    RandomSource random = RandomSource.secure();
    for (int i = 0; i < QUEUES; i++) {
      X25519KeyPair key = X25519KeyPair.generate(random);
      keys.add(key);
      creates.add(
          Frame.newBuilder()
              .setCorrId(client.nextCorr())
              .setCreateQueue(
                  CreateQueue.newBuilder()
                      .setRecipientDhPublic(ByteString.copyFrom(key.publicKey())))
              .build());
    }
    List<Frame> replies = client.pipeline(creates, window);
    List<QueueCreds> queues = new ArrayList<>();
    for (int i = 0; i < QUEUES; i++) {
      assertThat(replies.get(i).hasQueueCreated()).as("reply %s", replies.get(i)).isTrue();
      queues.add(TestClient.creds(keys.get(i), replies.get(i).getQueueCreated()));
    }
    return queues;
  }

  private static void assertAllOk(List<Frame> replies) {
    for (Frame reply : replies) {
      assertThat(reply.hasOk()).as("reply %s", reply.getBodyCase()).isTrue();
    }
  }
}
