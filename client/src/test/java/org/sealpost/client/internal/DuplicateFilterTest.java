package org.sealpost.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DuplicateFilterTest {
  private static byte[] id(int n) {
    byte[] id = new byte[16];
    id[0] = (byte) (n >>> 8);
    id[1] = (byte) n;
    return id;
  }

  @Test
  void rememberedIdIsSeenAgainAndOthersAreNot() {
    DuplicateFilter filter = new DuplicateFilter(10);
    filter.remember(id(1));

    assertThat(filter.seen(id(1))).isTrue();
    assertThat(filter.seen(id(2))).isFalse();
  }

  @Test
  void memoryIsBoundedAndForgetsTheOldestFirst() {
    DuplicateFilter filter = new DuplicateFilter(100);
    for (int i = 0; i < 1000; i++) {
      filter.remember(id(i));
    }

    assertThat(filter.size()).isEqualTo(100);
    assertThat(filter.seen(id(899))).isFalse();
    assertThat(filter.seen(id(900))).isTrue();
    assertThat(filter.seen(id(999))).isTrue();
  }

  @Test
  void callerMutatingItsArrayDoesNotChangeWhatWasRemembered() {
    DuplicateFilter filter = new DuplicateFilter(10);
    byte[] id = id(5);
    filter.remember(id);
    id[0] = 42;

    assertThat(filter.seen(id(5))).isTrue();
  }
}
