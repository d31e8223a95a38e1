package org.sealpost.relay.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sealpost.relay.config.TimingSettings;

/** The per-envelope delay of issue 10: exponential with the configured mean, capped if asked. */
class DeliveryScheduleTest {
  private static DeliverySchedule schedule(Duration mean, Duration max, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    return new DeliverySchedule(
        TimingSettings.delay(mean, Optional.ofNullable(max)), () -> 1_000_000L, random::nextDouble);
  }

  @Test
  void withoutADelayEveryEnvelopeIsDeliverableAtOnce() {
    DeliverySchedule off = schedule(Duration.ZERO, null, 1);
    assertThat(off.holdsBack()).isFalse();
    assertThat(off.notBeforeForNewEnvelope()).isZero();
    assertThat(off.deliverable(0, 0)).isTrue();
  }

  @Test
  void delaysAreExponentialWithTheConfiguredMean() {
    DeliverySchedule s = schedule(Duration.ofMillis(1000), null, 7);
    int n = 200_000;
    double sum = 0;
    int overMean = 0;
    for (int i = 0; i < n; i++) {
      long d = s.notBeforeForNewEnvelope() - 1_000_000L;
      assertThat(d).isNotNegative();
      sum += d;
      overMean += d > 1000 ? 1 : 0;
    }
    // mean d, and P(X > d) = 1/e for an exponential (a uniform or constant delay fails this)
    assertThat(sum / n).isBetween(990.0, 1010.0);
    assertThat((double) overMean / n).isBetween(Math.exp(-1) - 0.005, Math.exp(-1) + 0.005);
  }

  @Test
  void theCapBoundsEveryDelay() {
    DeliverySchedule s = schedule(Duration.ofMillis(1000), Duration.ofMillis(1500), 3);
    long max = 0;
    for (int i = 0; i < 50_000; i++) {
      max = Math.max(max, s.notBeforeForNewEnvelope() - 1_000_000L);
    }
    assertThat(max).isEqualTo(1500);
  }

  @Test
  void anEnvelopeIsDeliverableFromItsTimeOn() {
    DeliverySchedule s = schedule(Duration.ofMillis(1000), null, 1);
    assertThat(s.deliverable(5_000, 4_999)).isFalse();
    assertThat(s.deliverable(5_000, 5_000)).isTrue();
    assertThat(s.wakeAt(5_000, 4_999)).isEqualTo(5_000);
  }

  @Test
  void roundsReleaseOnlyWithAtLeastKEnvelopesAndOnlyWhatCameBefore() {
    long[] now = {10_000};
    DeliverySchedule s =
        new DeliverySchedule(
            TimingSettings.batches(Duration.ofSeconds(1), 3), () -> now[0], () -> 0.5);
    assertThat(s.holdsBack()).isTrue();
    // the start is a round: what was stored before it (the clock is the same) is released
    assertThat(s.releasedUpTo()).isEqualTo(10_000);
    assertThat(s.deliverable(9_999, now[0])).isTrue();
    assertThat(s.round()).as("an empty pool").isFalse();

    now[0] = 11_000;
    long a = s.notBeforeForNewEnvelope();
    s.stored();
    long b = s.notBeforeForNewEnvelope();
    s.stored();
    assertThat(s.deliverable(a, now[0] + 5_000)).isFalse();
    now[0] = 12_000;
    assertThat(s.round()).as("two of three").isFalse();
    assertThat(s.deliverable(a, now[0])).isFalse();
    assertThat(s.wakeAt(a, now[0])).isEqualTo(Long.MAX_VALUE);

    now[0] = 12_500;
    long c = s.notBeforeForNewEnvelope();
    s.stored();
    now[0] = 13_000;
    assertThat(s.round()).isTrue();
    assertThat(s.deliverable(a, now[0])).isTrue();
    assertThat(s.deliverable(b, now[0])).isTrue();
    assertThat(s.deliverable(c, now[0])).isTrue();
    // stored after the round: waits for the next one
    long d = s.notBeforeForNewEnvelope() + 1;
    now[0] = 13_001;
    assertThat(s.deliverable(d, now[0])).isFalse();
    assertThat(s.round()).as("the pool was emptied").isFalse();
  }
}
