package org.sealpost.relay.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
 * Delivery delay (issue 10) over real sockets: Sends are answered at once, pushes come later and
 * out of send order, Get skips what is not yet deliverable, and the stored time outlives a restart.
 */
class DeliveryDelayIT {
  private static final int SENDS = 24;
  private static final RecipientOp SUBSCRIBE =
      RecipientOp.newBuilder().setSubscribe(Subscribe.getDefaultInstance()).build();
  private static final RecipientOp GET =
      RecipientOp.newBuilder().setGet(Get.getDefaultInstance()).build();

  @TempDir Path dataDir;

  @Test
  void sendsAreAnsweredAtOnceAndPushesComeLaterOutOfSendOrder() throws Exception {
    Map<String, String> delay = Map.of("delivery.delay-mean", "500ms", "delivery.delay-max", "3s");
    try (RelayFixture fixture = RelayFixture.start(dataDir, delay, UnaryOperator.identity());
        TestClient recipient = fixture.connect();
        TestClient sender = fixture.connect()) {
      QueueCreds q = recipient.createQueue();
      assertThat(recipient.call(recipient.recipientFrame(q, SUBSCRIBE)).hasOk()).isTrue();

      Map<ByteString, Integer> index = new HashMap<>();
      long[] okAt = new long[SENDS];
      long start = System.nanoTime();
      for (int i = 0; i < SENDS; i++) {
        byte[] envelope = sender.randomEnvelope();
        index.put(ByteString.copyFrom(envelope), i);
        assertThat(sender.call(sender.sendFrame(q.senderId(), envelope, null)).hasOk()).isTrue();
        okAt[i] = System.nanoTime();
      }
      long sending = System.nanoTime() - start;

      List<Integer> order = new ArrayList<>();
      List<Long> latencies = new ArrayList<>();
      while (order.size() < SENDS) {
        Frame push = recipient.nextPush(Duration.ofSeconds(10));
        assertThat(push).as("push %s of %s", order.size() + 1, SENDS).isNotNull();
        long at = System.nanoTime();
        assertThat(push.hasMessage()).isTrue();
        Integer i = index.get(ByteString.copyFrom(recipient.open(q, push.getMessage())));
        assertThat(i).as("a pushed envelope that was sent").isNotNull();
        order.add(i);
        latencies.add((at - okAt[i]) / 1_000_000);
        recipient.sendAll(List.of(recipient.ackFrame(q, push.getMessage().getMessageId())));
      }
      assertThat(order).doesNotHaveDuplicates().hasSize(SENDS);
      // exponential delays of mean 500 ms between sends a few ms apart reorder them; the chance
      // that 24 come out in send order is below 1e-20
      assertThat(order).isNotEqualTo(order.stream().sorted().toList());
      // the Sends did not wait for their delays (24 of them would take ~12 s on average)
      assertThat(sending / 1_000_000).isLessThan(6_000);
      // the median of an exponential of mean 500 ms is 347 ms; without the delay, a few ms
      List<Long> sorted = latencies.stream().sorted().toList();
      assertThat(sorted.get(SENDS / 2)).as("median push latency, ms").isGreaterThan(150);
      assertThat(recipient.nextPush(Duration.ofMillis(300))).as("nothing pushed twice").isNull();
    }
  }

  @Test
  void getSkipsWhatIsNotYetDeliverableAndTheStoredTimeOutlivesARestart() throws Exception {
    QueueCreds q;
    try (RelayFixture fixture =
        RelayFixture.start(
            dataDir, Map.of("delivery.delay-mean", "1h"), UnaryOperator.identity())) {
      try (TestClient client = fixture.connect()) {
        q = client.createQueue();
        assertThat(client.call(client.sendFrame(q.senderId(), client.randomEnvelope(), null)))
            .matches(Frame::hasOk);
        Frame got = client.call(client.recipientFrame(q, GET));
        assertThat(got.hasMessage()).as("Get of a held-back envelope: %s", got).isFalse();
        assertThat(got.hasOk()).isTrue();
        assertThat(client.call(client.recipientFrame(q, SUBSCRIBE)).hasOk()).isTrue();
        assertThat(client.nextPush(Duration.ofSeconds(1))).isNull();
      }
    }
    // restarted without the defence: the stored time still holds the first envelope back
    try (RelayFixture fixture = RelayFixture.start(dataDir);
        TestClient client = fixture.connect()) {
      Frame got = client.call(client.recipientFrame(q, GET));
      assertThat(got.hasMessage()).isFalse();
      byte[] now = client.randomEnvelope();
      assertThat(client.call(client.sendFrame(q.senderId(), now, null))).matches(Frame::hasOk);
      got = client.call(client.recipientFrame(q, GET));
      assertThat(got.hasMessage())
          .as("Get after an undelayed Send: %s", got.getBodyCase())
          .isTrue();
      assertThat(client.open(q, got.getMessage())).isEqualTo(now);
      assertThat(client.call(client.recipientFrame(q, SUBSCRIBE)).hasOk()).isTrue();
      Frame push = client.nextPush(Duration.ofSeconds(5));
      assertThat(push).isNotNull();
      assertThat(client.open(q, push.getMessage())).isEqualTo(now);
      assertThat(client.nextPush(Duration.ofMillis(500))).isNull();
    }
  }
}
