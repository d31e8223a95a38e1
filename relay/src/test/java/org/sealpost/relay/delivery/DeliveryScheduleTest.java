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
        new TimingSettings(mean, Optional.ofNullable(max)), () -> 1_000_000L, random::nextDouble);
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
    assertThat(s.wakeAt(5_000)).isEqualTo(5_000);
  }
}
