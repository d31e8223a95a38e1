package org.sealpost.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A shard's numbered events: in order they pass; a gap, an overtaking or a restart does not. */
class EventOrderTest {
  private final EventOrder order = new EventOrder();

  @Test
  void consecutiveEventsOfAShardPassAndShardsAreApart() {
    assertThat(order.next(3, 77, 10)).isFalse(); // the first seen: one before may be missed
    assertThat(order.next(3, 77, 11)).isTrue();
    assertThat(order.next(4, 5, 1)).isFalse();
    assertThat(order.next(3, 77, 12)).isTrue();
    assertThat(order.next(4, 5, 2)).isTrue();
  }

  @Test
  void aGapAnOvertakingOrANewIncarnationDoesNot() {
    assertThat(order.next(1, 9, 1)).isFalse();
    assertThat(order.next(1, 9, 3)).isFalse(); // 2 missed (or still on its way)
    assertThat(order.next(1, 9, 2)).isFalse(); // 2 arrives after 3
    assertThat(order.next(1, 9, 3)).isTrue(); // in order again from there
    assertThat(order.next(1, 10, 4)).isFalse(); // the owner restarted
    assertThat(order.next(1, 10, 5)).isTrue();
  }
}
