package org.sealpost.relay.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.proto.v1.Frame;
import org.sealpost.proto.v1.Get;
import org.sealpost.proto.v1.RecipientOp;
import org.sealpost.proto.v1.Subscribe;
import org.sealpost.relay.protocol.TestClient.QueueCreds;

/**
 * Timed batches (issue 10) over real sockets: nothing is delivered until a round finds at least k
 * envelopes stored since the last release, then they leave together.
 */
class TimedBatchesIT {
  private static final RecipientOp SUBSCRIBE =
      RecipientOp.newBuilder().setSubscribe(Subscribe.getDefaultInstance()).build();
  private static final RecipientOp GET =
      RecipientOp.newBuilder().setGet(Get.getDefaultInstance()).build();

  @TempDir Path dataDir;

  @Test
  void envelopesWaitForARoundWithAtLeastKAndLeaveTogether() throws Exception {
    Map<String, String> batches =
        Map.of("delivery.batch-interval", "500ms", "delivery.batch-min", "3");
    try (RelayFixture fixture = RelayFixture.start(dataDir, batches, UnaryOperator.identity());
        TestClient recipient = fixture.connect();
        TestClient other = fixture.connect();
        TestClient sender = fixture.connect()) {
      QueueCreds q = recipient.createQueue();
      QueueCreds polled = other.createQueue();
      assertThat(recipient.call(recipient.recipientFrame(q, SUBSCRIBE)).hasOk()).isTrue();
      byte[] first = sender.randomEnvelope();
      assertThat(sender.call(sender.sendFrame(q.senderId(), first, null)).hasOk()).isTrue();
      assertThat(sender.call(sender.sendFrame(polled.senderId(), sender.randomEnvelope(), null)))
          .matches(Frame::hasOk);
      // two envelopes in the pool, k = 3: several rounds pass and release nothing
      assertThat(recipient.nextPush(Duration.ofMillis(1_600))).isNull();
      assertThat(other.call(other.recipientFrame(polled, GET)).hasMessage()).isFalse();

      byte[] third = sender.randomEnvelope();
      assertThat(sender.call(sender.sendFrame(q.senderId(), third, null)).hasOk()).isTrue();
      List<byte[]> got = new ArrayList<>();
      List<Long> at = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        Frame push = recipient.nextPush(Duration.ofSeconds(5));
        assertThat(push).as("push %s after the third Send", i + 1).isNotNull();
        at.add(System.nanoTime());
        got.add(recipient.open(q, push.getMessage()));
      }
      assertThat(got).containsExactlyInAnyOrder(first, third);
      // released by one round: both come within one round of each other, not a round apart
      assertThat((at.get(1) - at.get(0)) / 1_000_000).isLessThan(400);
      assertThat(other.call(other.recipientFrame(polled, GET)).hasMessage()).isTrue();
    }
  }
}
