package org.sealpost.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DeliveryTrackerTest {

  @Test
  void redeliveryCountsAsDuplicateNotAsDelivery() {
    DeliveryTracker t = new DeliveryTracker(200);

    assertThat(t.deliver(3, 10)).isTrue();
    assertThat(t.deliver(130, 30)).isTrue();
    assertThat(t.deliver(3, 20)).isFalse();

    assertThat(t.delivered()).isEqualTo(2);
    assertThat(t.duplicates()).isEqualTo(1);
    assertThat(t.lastDeliveryNanos()).isEqualTo(30);
  }

  @Test
  void indexOutsideTheRunIsRejected() {
    DeliveryTracker t = new DeliveryTracker(10);

    assertThatThrownBy(() -> t.deliver(10, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void roundRobinSharesAreExact() {
    long total = 0;
    for (int q = 0; q < 7; q++) {
      total += OfflineFillDrain.expectedFor(q, 100, 7);
    }
    assertThat(total).isEqualTo(100);
    assertThat(OfflineFillDrain.expectedFor(0, 100, 7)).isEqualTo(15);
    assertThat(OfflineFillDrain.expectedFor(6, 100, 7)).isEqualTo(14);
  }
}
