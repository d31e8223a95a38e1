package org.sealpost.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkloadsTest {

  private static OnlineDelivery.Params w1() {
    return w1(Duration.ofMillis(100));
  }

  private static OnlineDelivery.Params w1(Duration warmup) {
    return w1(warmup, 0);
  }

  private static OnlineDelivery.Params w1(Duration warmup, double fixedOpenRate) {
    return new OnlineDelivery.Params(
        20,
        4,
        8,
        1024,
        Duration.ofMillis(300),
        0.5,
        fixedOpenRate,
        Duration.ofSeconds(1),
        Duration.ofSeconds(10),
        1_000_000,
        warmup);
  }

  @Test
  void onlineDeliveryDeliversEverythingSentInBothPhases() throws Exception {
    try (InMemoryPeer peer = new InMemoryPeer(false);
        ResourceSampler sampler = new ResourceSampler(new ProcFs(), List.of(), 100, 50)) {
      OnlineDelivery.Result r = new OnlineDelivery(w1(), new Progress(false)).run(peer, sampler);

      PhaseResult closed = r.closedLoop();
      assertThat(closed.sent()).isPositive();
      assertThat(closed.delivered()).isEqualTo(closed.sent());
      assertThat(closed.complete()).isTrue();
      assertThat(closed.messagesPerSecond()).isPositive();
      assertThat(closed.latencyUncorrected().count()).isEqualTo(closed.delivered());
      PhaseResult open = r.openLoop();
      assertThat(open.targetRate()).isEqualTo(closed.messagesPerSecond() * 0.5);
      assertThat(open.delivered()).isEqualTo(open.sent());
      assertThat(open.sent()).isEqualTo((long) (open.targetRate() * 1));
      assertThat(open.latencyCorrected().count()).isEqualTo(open.delivered());
      assertThat(closed.usage().loadGeneratorCpuSeconds()).isPositive();
    }
  }

  @Test
  void aFixedOpenRateIsKeptWhateverTheClosedLoopReached() throws Exception {
    try (InMemoryPeer peer = new InMemoryPeer(false);
        ResourceSampler sampler = new ResourceSampler(new ProcFs(), List.of(), 100, 50)) {
      OnlineDelivery.Result r =
          new OnlineDelivery(w1(Duration.ZERO, 137), new Progress(false)).run(peer, sampler);

      PhaseResult open = r.openLoop();
      assertThat(open.targetRate()).isEqualTo(137);
      assertThat(open.sent()).isEqualTo(137);
      assertThat(open.delivered()).isEqualTo(137);
      assertThat(r.closedLoop().messagesPerSecond()).isNotEqualTo(137 * 2.0);
    }
  }

  @Test
  void aNegativeOpenRateIsRefused() {
    assertThatThrownBy(() -> w1(Duration.ZERO, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("open-loop rate");
  }

  @Test
  void anOpenLoopLeadInIsSentButNotReported() throws Exception {
    try (InMemoryPeer peer = new InMemoryPeer(false);
        ResourceSampler sampler = new ResourceSampler(new ProcFs(), List.of(), 100, 50)) {
      OnlineDelivery.Result r =
          new OnlineDelivery(
                  w1(Duration.ZERO),
                  new Progress(false),
                  OnlineDelivery.PhaseMarks.NONE,
                  Duration.ofMillis(500))
              .run(peer, sampler);

      PhaseResult open = r.openLoop();
      long measured = (long) (open.targetRate() * 1);
      long leadIn = (long) Math.ceil(open.targetRate() * 0.5);
      assertThat(open.sent()).isEqualTo(measured);
      assertThat(open.delivered()).isEqualTo(measured);
      assertThat(open.latencyCorrected().count()).isEqualTo(measured);
      assertThat(peer.sent()).isEqualTo(r.closedLoop().sent() + leadIn + measured);
      assertThat(r.openTimeline().capacity()).isEqualTo((int) measured);
    }
  }

  @Test
  void duplicatesAreCountedButDoNotInflateDeliveries() throws Exception {
    try (InMemoryPeer peer = new InMemoryPeer(true);
        ResourceSampler sampler = new ResourceSampler(new ProcFs(), List.of(), 100, 50)) {
      // no warm-up: its duplicates would be sent but not counted
      OnlineDelivery.Result r =
          new OnlineDelivery(w1(Duration.ZERO), new Progress(false)).run(peer, sampler);

      assertThat(r.closedLoop().delivered()).isEqualTo(r.closedLoop().sent());
      assertThat(r.openLoop().delivered()).isEqualTo(r.openLoop().sent());
      assertThat(peer.duplicatesSent()).isPositive();
      assertThat(r.closedLoop().duplicates() + r.openLoop().duplicates())
          .isEqualTo(peer.duplicatesSent());
    }
  }

  @Test
  void offlineFillThenDrainEmptiesEveryQueue() throws Exception {
    OfflineFillDrain.Params p = smallFillDrain();
    try (InMemoryPeer peer = new InMemoryPeer(false);
        ResourceSampler sampler = new ResourceSampler(new ProcFs(), List.of(), 100, 50)) {
      OfflineFillDrain.Result r = new OfflineFillDrain(p, new Progress(false)).run(peer, sampler);

      assertThat(r.fill().accepted()).isEqualTo(1_000);
      assertThat(r.fill().complete()).isTrue();
      assertThat(r.drain().delivered()).isEqualTo(1_000);
      assertThat(r.drain().complete()).isTrue();
      assertThat(r.sessionsPerSecond()).isPositive();
      assertThat(r.sessionMillisP99()).isGreaterThanOrEqualTo(r.sessionMillisP50());
    }
  }

  /**
   * The comparison's W2 warm-up round: one message into each of the same queues, drained by as many
   * sessions, on the same peer just before the measured round, which still finds every queue empty
   * at its start and drains exactly its own messages.
   */
  @Test
  void theWarmUpRoundDrainsOneMessagePerQueueAndLeavesTheMeasuredRoundItsOwn() throws Exception {
    OfflineFillDrain.Params p = smallFillDrain();
    try (InMemoryPeer peer = new InMemoryPeer(false);
        ResourceSampler sampler = new ResourceSampler(new ProcFs(), List.of(), 100, 50)) {
      OfflineFillDrain.Result warm =
          new OfflineFillDrain(p.warmUp(), new Progress(false)).run(peer, sampler);
      assertThat(warm.params().messages()).isEqualTo(37);
      assertThat(warm.drain().delivered()).isEqualTo(37);
      assertThat(warm.drain().complete()).isTrue();

      OfflineFillDrain.Result r = new OfflineFillDrain(p, new Progress(false)).run(peer, sampler);
      assertThat(r.drain().delivered()).isEqualTo(1_000);
      assertThat(r.drain().duplicates()).isZero();
      assertThat(r.drain().complete()).isTrue();
    }
  }

  private static OfflineFillDrain.Params smallFillDrain() {
    return new OfflineFillDrain.Params(
        1_000, 37, 3, 16, 256, 4, Duration.ofSeconds(10), Duration.ofSeconds(10), "");
  }
}
