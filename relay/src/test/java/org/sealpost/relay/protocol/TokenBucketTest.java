package org.sealpost.relay.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
  @Test
  void burstThenRefillAtTheConfiguredRate() {
    AtomicLong now = new AtomicLong();
    TokenBucket bucket = new TokenBucket(3, 2.0, now::get);
    assertThat(bucket.tryTake()).isTrue();
    assertThat(bucket.tryTake()).isTrue();
    assertThat(bucket.tryTake()).isTrue();
    assertThat(bucket.tryTake()).isFalse();
    now.addAndGet(499_000_000L); // just under one token at 2 per second
    assertThat(bucket.tryTake()).isFalse();
    now.addAndGet(2_000_000L);
    assertThat(bucket.tryTake()).isTrue();
    assertThat(bucket.tryTake()).isFalse();
    now.addAndGet(60_000_000_000L); // a long pause refills only up to the burst
    int taken = 0;
    while (bucket.tryTake()) {
      taken++;
    }
    assertThat(taken).isEqualTo(3);
  }
}
