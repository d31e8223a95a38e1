package org.sealpost.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StormTrackerTest {

  @Test
  void aClientIsDoneOnceResubscribedAndAllItsMessagesArrivedInAnyOrder() {
    StormTracker t = new StormTracker(new int[] {2, 0, 1});

    assertThat(t.messages()).isEqualTo(3);
    assertThat(t.messageIndex(0, 1)).isEqualTo(1);
    assertThat(t.messageIndex(2, 0)).isEqualTo(2);

    // messages may be pushed before the Ok of the Subscribe is seen
    assertThat(t.delivered(t.messageIndex(0, 0), 10)).isTrue();
    assertThat(t.clientsDone()).isZero();
    assertThat(t.resubscribed(0, 20)).isTrue();
    assertThat(t.clientsDone()).isZero();
    assertThat(t.delivered(t.messageIndex(0, 1), 30)).isTrue();
    assertThat(t.clientsDone()).isEqualTo(1);

    // no pending messages: done on resubscription
    assertThat(t.halfDoneNanos()).isZero();
    t.resubscribed(1, 40);
    assertThat(t.clientsDone()).isEqualTo(2);
    // two of three clients are the (rounded-up) half
    assertThat(t.halfDoneNanos()).isEqualTo(40);
    assertThat(t.complete()).isFalse();

    t.resubscribed(2, 50);
    assertThat(t.complete()).isFalse();
    t.delivered(t.messageIndex(2, 0), 60);
    assertThat(t.complete()).isTrue();
    assertThat(t.clientsResubscribed()).isEqualTo(3);
    assertThat(t.lastResubscribedNanos()).isEqualTo(50);
    assertThat(t.lastDoneNanos()).isEqualTo(60);
    assertThat(t.delivered()).isEqualTo(3);
  }

  @Test
  void repeatsCountOnceAndDoNotFinishAClient() {
    StormTracker t = new StormTracker(new int[] {2});

    assertThat(t.delivered(0, 1)).isTrue();
    assertThat(t.delivered(0, 2)).isFalse();
    assertThat(t.resubscribed(0, 3)).isTrue();
    assertThat(t.resubscribed(0, 4)).isFalse();

    assertThat(t.complete()).isFalse();
    assertThat(t.duplicates()).isEqualTo(1);
    assertThat(t.clientsResubscribed()).isEqualTo(1);
    assertThat(t.lastResubscribedNanos()).isEqualTo(3);
  }

  @Test
  void rejectsMessagesAClientDoesNotHave() {
    StormTracker t = new StormTracker(new int[] {1, 0});

    assertThatThrownBy(() -> t.messageIndex(1, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> t.messageIndex(0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> t.delivered(1, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new StormTracker(new int[] {-1}))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
