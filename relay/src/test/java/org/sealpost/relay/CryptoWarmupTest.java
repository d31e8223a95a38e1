package org.sealpost.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
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
  void inTheBackgroundItCompletesWithinItsBound() throws Exception {
    CryptoWarmup.Result r =
        CryptoWarmup.inBackground(1024).toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertThat(r.handshakes()).isBetween(1, CryptoWarmup.HANDSHAKES);
    assertThat(r.elapsed()).isLessThan(CryptoWarmup.BOUND.plusSeconds(2));
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
