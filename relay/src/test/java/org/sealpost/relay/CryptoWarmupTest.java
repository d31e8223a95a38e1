package org.sealpost.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The warm-up before listening completes real handshakes, stops at its count and its bound. */
class CryptoWarmupTest {
  @Test
  void runsTheRequestedHandshakesAtTheSmallestAndTheDefaultBlockSize() {
    for (int b : new int[] {1024, 16359}) {
      CryptoWarmup.Result r = CryptoWarmup.run(b, 3, Duration.ofSeconds(60));
      assertThat(r.handshakes()).isEqualTo(3);
      assertThat(r.elapsed()).isPositive();
    }
  }

  @Test
  void stopsAtItsTimeBound() {
    assertThat(CryptoWarmup.run(16359, 1_000_000, Duration.ZERO).handshakes()).isZero();
    CryptoWarmup.Result r = CryptoWarmup.run(16359, 1_000_000, Duration.ofMillis(300));
    assertThat(r.handshakes()).isPositive().isLessThan(1_000_000);
    // one handshake may start just before the bound; none takes seconds
    assertThat(r.elapsed()).isLessThan(Duration.ofSeconds(5));
  }
}
