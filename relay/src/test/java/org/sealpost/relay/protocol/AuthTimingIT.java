package org.sealpost.relay.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sealpost.relay.protocol.TimingStatistics.iqr;
import static org.sealpost.relay.protocol.TimingStatistics.ksCritical;
import static org.sealpost.relay.protocol.TimingStatistics.ksStatistic;
import static org.sealpost.relay.protocol.TimingStatistics.quantile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.proto.v1.ErrorCode;
import org.sealpost.proto.v1.Frame;
import org.sealpost.proto.v1.Get;
import org.sealpost.proto.v1.RecipientOp;
import org.sealpost.relay.protocol.TestClient.QueueCreds;

/**
 * DESIGN invariant 7: "no such queue" and "bad MAC" are the same AUTH error and take the same time.
 * Round trips of the two kinds are interleaved in random order (so load from anything else on the
 * machine hits both alike) and their distributions compared with a two-sample Kolmogorov–Smirnov
 * test and by their medians and interquartile ranges.
 */
class AuthTimingIT {
  private static final int QUEUES = 64;
  private static final int WARMUP = 600;
  private static final int SAMPLES = 2_500;

  @TempDir Path dataDir;

  @Test
  void unknownQueueAndBadMacAreIndistinguishableInTime() {
    try (RelayFixture fixture =
            RelayFixture.start(dataDir, Map.of(), s -> s.withCreateRate(QUEUES, 1_000));
        TestClient client = fixture.connect()) {
      List<QueueCreds> queues = new ArrayList<>();
      for (int i = 0; i < QUEUES; i++) {
        queues.add(client.createQueue());
      }
      SplittableRandom random = new SplittableRandom(42);
      measure(client, queues, random, WARMUP);
      long[][] samples = measure(client, queues, random, SAMPLES);
      long[] badMac = samples[0];
      long[] unknown = samples[1];

      double d = ksStatistic(badMac, unknown);
      double critical = ksCritical(SAMPLES);
      double medianRatio = (double) quantile(badMac, 0.5) / quantile(unknown, 0.5);
      double iqrRatio = (double) iqr(badMac) / Math.max(1, iqr(unknown));
      System.out.printf(
          "auth timing: n=%d each, median bad-MAC %d ns, unknown %d ns (ratio %.3f), IQR ratio"
              + " %.3f, KS D=%.4f (critical %.4f at alpha 0.001)%n",
          SAMPLES,
          quantile(badMac, 0.5),
          quantile(unknown, 0.5),
          medianRatio,
          iqrRatio,
          d,
          critical);
      assertThat(medianRatio).as("median ratio").isBetween(0.93, 1.07);
      assertThat(iqrRatio).as("IQR ratio").isBetween(0.67, 1.5);
      assertThat(d).as("KS statistic").isLessThan(critical);
    }
  }

  /**
   * The negative control: the same measurement between a bad MAC and a valid Get (which reads the
   * queue from disk after the MAC check) shows a difference, so the test above has the power to see
   * one. The store's pending cache is off here: with it, a valid Get of an empty queue is answered
   * from memory and costs about what a refusal costs, which is no control at all.
   */
  @Test
  void theMeasurementDetectsTheExtraWorkOfAValidGet() {
    try (RelayFixture fixture =
            RelayFixture.start(
                dataDir,
                Map.of("queue.pending-cache-mib", "0"),
                s -> s.withCreateRate(QUEUES, 1_000));
        TestClient client = fixture.connect()) {
      QueueCreds queue = client.createQueue();
      RecipientOp get = RecipientOp.newBuilder().setGet(Get.getDefaultInstance()).build();
      byte[] hash = client.handshakeHash();
      int n = 1_500;
      long[] badMac = new long[n];
      long[] valid = new long[n];
      for (int i = -WARMUP / 2; i < n; i++) {
        Frame wrong =
            client.recipientFrame(queue.recipientId(), TestClient.randomBytes(32), get, hash);
        long start = System.nanoTime();
        client.call(wrong);
        long t1 = System.nanoTime();
        Frame ok = client.call(client.recipientFrame(queue, get));
        long t2 = System.nanoTime();
        assertThat(ok.hasOk()).isTrue();
        if (i >= 0) {
          badMac[i] = t1 - start;
          valid[i] = t2 - t1;
        }
      }
      double d = ksStatistic(badMac, valid);
      System.out.printf(
          "auth timing control: median bad-MAC %d ns, valid Get %d ns, KS D=%.4f%n",
          quantile(badMac, 0.5), quantile(valid, 0.5), d);
      assertThat(d).isGreaterThan(ksCritical(n));
    }
  }

  /** Round-trip times of interleaved bad-MAC and unknown-queue Gets: {badMac[], unknown[]}. */
  private static long[][] measure(
      TestClient client, List<QueueCreds> queues, SplittableRandom random, int n) {
    long[] badMac = new long[n];
    long[] unknown = new long[n];
    RecipientOp get = RecipientOp.newBuilder().setGet(Get.getDefaultInstance()).build();
    byte[] hash = client.handshakeHash();
    for (int i = 0; i < n; i++) {
      QueueCreds queue = queues.get(i % queues.size());
      Frame wrongMac =
          client.recipientFrame(queue.recipientId(), TestClient.randomBytes(32), get, hash);
      Frame noQueue =
          client.recipientFrame(TestClient.randomBytes(32), TestClient.randomBytes(32), get, hash);
      if (random.nextBoolean()) {
        badMac[i] = roundTrip(client, wrongMac);
        unknown[i] = roundTrip(client, noQueue);
      } else {
        unknown[i] = roundTrip(client, noQueue);
        badMac[i] = roundTrip(client, wrongMac);
      }
    }
    return new long[][] {badMac, unknown};
  }

  private static long roundTrip(TestClient client, Frame frame) {
    long start = System.nanoTime();
    Frame reply = client.call(frame);
    long elapsed = System.nanoTime() - start;
    assertThat(reply.getError().getCode()).isEqualTo(ErrorCode.ERROR_CODE_AUTH);
    return elapsed;
  }
}
