package org.sealpost.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.sealpost.proto.crypto.RandomSource;

class BackoffTest {
  /**
   * Every byte 0xff: the uniform draw is as close to 1 as it gets, so each delay is its ceiling.
   */
  private static final RandomSource HIGHEST = out -> Arrays.fill(out, (byte) 0xff);

  /** Every byte 0: each delay is the minimum. */
  private static final RandomSource LOWEST = out -> Arrays.fill(out, (byte) 0);

  @Test
  void ceilingsDoubleUpToTheMaximumAndStartOverAfterReset() {
    Backoff backoff =
        new Backoff(Duration.ofMillis(100), Duration.ofMillis(500), new TimingDraws(HIGHEST));

    assertThat(backoff.nextDelayMillis()).isEqualTo(200);
    assertThat(backoff.nextDelayMillis()).isEqualTo(400);
    assertThat(backoff.nextDelayMillis()).isEqualTo(500);
    assertThat(backoff.nextDelayMillis()).isEqualTo(500);
    backoff.reset();
    assertThat(backoff.nextDelayMillis()).isEqualTo(200);
  }

  @Test
  void noDelayIsShorterThanTheMinimum() {
    Backoff backoff =
        new Backoff(Duration.ofMillis(100), Duration.ofSeconds(30), new TimingDraws(LOWEST));

    for (int i = 0; i < 20; i++) {
      assertThat(backoff.nextDelayMillis()).isEqualTo(100);
    }
  }

  @Test
  void clientsThatFailedTogetherSpreadOutOverTheCeiling() {
    // 1,000 clients whose first three tries failed at the same instant: their fourth delays must
    // cover [min, 16 × min] rather than coincide, which is what keeps a retry storm from forming
    long[] fourth = new long[1000];
    RandomSource random = RandomSource.of(new SecureRandom());
    for (int c = 0; c < fourth.length; c++) {
      Backoff backoff =
          new Backoff(Duration.ofMillis(100), Duration.ofSeconds(30), new TimingDraws(random));
      backoff.nextDelayMillis();
      backoff.nextDelayMillis();
      backoff.nextDelayMillis();
      fourth[c] = backoff.nextDelayMillis();
    }

    assertThat(Arrays.stream(fourth).min().getAsLong()).isBetween(100L, 300L);
    assertThat(Arrays.stream(fourth).max().getAsLong()).isBetween(1400L, 1600L);
    assertThat(Arrays.stream(fourth).distinct().count()).isGreaterThan(500);
  }

  @Test
  void aZeroMinimumStillWaitsOneMillisecond() {
    assertThat(
            new Backoff(Duration.ZERO, Duration.ofSeconds(1), new TimingDraws(LOWEST))
                .nextDelayMillis())
        .isEqualTo(1);
  }
}
