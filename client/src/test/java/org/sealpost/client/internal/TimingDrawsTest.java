package org.sealpost.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.sealpost.proto.crypto.RandomSource;

/** The random waits of send jitter (uniform) and loop cover (exponential gaps), issue 10. */
class TimingDrawsTest {
  private final TimingDraws draws = new TimingDraws(RandomSource.of(new SecureRandom()));

  @Test
  void jitterIsUniformWithinItsBound() {
    Duration max = Duration.ofMillis(1000);
    int n = 100_000;
    double sum = 0;
    int below = 0;
    for (int i = 0; i < n; i++) {
      long v = draws.uniformMillis(max);
      assertThat(v).isBetween(0L, 1000L);
      sum += v;
      below += v < 250 ? 1 : 0;
    }
    assertThat(sum / n).isBetween(490.0, 510.0);
    assertThat((double) below / n).isBetween(0.24, 0.26);
  }

  @Test
  void loopGapsAreExponentialWithTheirMean() {
    Duration mean = Duration.ofMillis(1000);
    int n = 100_000;
    double sum = 0;
    int overMean = 0;
    for (int i = 0; i < n; i++) {
      long v = draws.exponentialMillis(mean);
      assertThat(v).isPositive();
      sum += v;
      overMean += v > 1000 ? 1 : 0;
    }
    assertThat(sum / n).isBetween(985.0, 1015.0);
    // P(X > mean) = 1/e for an exponential, not 1/2 as for a uniform
    assertThat((double) overMean / n).isBetween(Math.exp(-1) - 0.006, Math.exp(-1) + 0.006);
  }
}
