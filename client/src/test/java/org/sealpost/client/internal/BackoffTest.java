package org.sealpost.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void delaysDoubleUpToTheMaximumAndStartOverAfterReset() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(500));

    assertThat(backoff.nextDelayMillis()).isEqualTo(100);
    assertThat(backoff.nextDelayMillis()).isEqualTo(200);
    assertThat(backoff.nextDelayMillis()).isEqualTo(400);
    assertThat(backoff.nextDelayMillis()).isEqualTo(500);
    assertThat(backoff.nextDelayMillis()).isEqualTo(500);
    backoff.reset();
    assertThat(backoff.nextDelayMillis()).isEqualTo(100);
  }

  @Test
  void aZeroMinimumStillWaitsOneMillisecond() {
    assertThat(new Backoff(Duration.ZERO, Duration.ofSeconds(1)).nextDelayMillis()).isEqualTo(1);
  }
}
