package org.sealpost.relay.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.sealpost.mailbox.MessageId;
import org.sealpost.mailbox.StoredEnvelope;
import org.sealpost.relay.config.TimingSettings;

/**
 * The push order when envelopes mature out of append order (issue 10), on a fake clock and an
 * in-memory queue read a page at a time as the store reads it.
 */
class DeliveryCursorTest {
  private final AtomicLong clock = new AtomicLong(1_000);
  private final DeliverySchedule schedule =
      new DeliverySchedule(
          TimingSettings.delay(Duration.ofSeconds(1), Optional.empty()), clock::get, () -> 0.5);
  private final List<StoredEnvelope> queue = new ArrayList<>();
  private final DeliveryCursor cursor = new DeliveryCursor();
  private long wakeAt;

  private void store(long position, long notBefore) {
    byte[] id = new byte[MessageId.LENGTH];
    id[0] = (byte) position;
    queue.add(new StoredEnvelope(position, MessageId.of(id), new byte[] {1}, notBefore));
  }

  private List<StoredEnvelope> read(long after, int max) {
    return queue.stream().filter(e -> e.position() > after).limit(max).toList();
  }

  /** One push pass as SessionDelivery runs it: pages of {@code page} until the pass ends. */
  private List<Long> pass(int page, int room) {
    List<Long> pushed = new ArrayList<>();
    wakeAt = Long.MAX_VALUE;
    long after = cursor.readAfter();
    while (true) {
      List<StoredEnvelope> read = read(after, page);
      DeliveryCursor.Scan scan =
          cursor.scan(
              read, after, read.size() >= page, room - pushed.size(), clock.get(), schedule);
      scan.toPush().forEach(e -> pushed.add(e.position()));
      wakeAt = Math.min(wakeAt, scan.wakeAt());
      if (scan.continueAfter() < 0 || pushed.size() >= room) {
        return pushed;
      }
      after = scan.continueAfter();
    }
  }

  private void ack(long position) {
    queue.removeIf(e -> e.position() == position);
  }

  @Test
  void withNothingHeldBackEnvelopesArePushedInAppendOrderOnce() {
    for (long p = 1; p <= 5; p++) {
      store(p, 0);
    }
    assertThat(pass(2, 3)).containsExactly(1L, 2L, 3L);
    assertThat(pass(2, 3)).containsExactly(4L, 5L);
    assertThat(pass(2, 3)).isEmpty();
    assertThat(wakeAt).isEqualTo(Long.MAX_VALUE);
    assertThat(cursor.aheadCount()).isZero();
  }

  @Test
  void envelopesArePushedInTheOrderTheyMatureNotTheOrderTheyCame() {
    store(1, 1_300);
    store(2, 1_100);
    store(3, 0);
    store(4, 1_200);
    assertThat(pass(2, 16)).containsExactly(3L);
    assertThat(wakeAt).isEqualTo(1_100);

    clock.set(1_100);
    assertThat(pass(2, 16)).containsExactly(2L);
    assertThat(wakeAt).isEqualTo(1_200);

    clock.set(1_250);
    assertThat(pass(2, 16)).containsExactly(4L);
    assertThat(wakeAt).isEqualTo(1_300);

    clock.set(1_299);
    assertThat(pass(2, 16)).isEmpty(); // not a millisecond early
    clock.set(1_300);
    assertThat(pass(2, 16)).containsExactly(1L);
    assertThat(pass(2, 16)).isEmpty();
    assertThat(wakeAt).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void aPassReadsOnPastHeldBackPagesAndStopsAtItsRoom() {
    for (long p = 1; p <= 6; p++) {
      store(p, 5_000); // held back
    }
    store(7, 0);
    store(8, 0);
    store(9, 0);
    assertThat(pass(2, 2)).containsExactly(7L, 8L);
    // the pass stopped at its room; the next one finds the rest and the earliest wake-up
    assertThat(pass(2, 2)).containsExactly(9L);
    assertThat(wakeAt).isEqualTo(5_000);
  }

  @Test
  void anEnvelopeStillInFlightIsNotPushedAgainAndAnAckedOneIsForgotten() {
    store(1, 9_000);
    for (long p = 2; p <= 5; p++) {
      store(p, 0);
    }
    assertThat(pass(3, 16)).containsExactly(2L, 3L, 4L, 5L);
    assertThat(cursor.aheadCount()).isEqualTo(4);
    // nothing acked yet: nothing again
    assertThat(pass(3, 16)).isEmpty();
    ack(2);
    ack(4);
    assertThat(pass(3, 16)).isEmpty();
    // a read of their range no longer returned them: forgotten
    assertThat(cursor.aheadCount()).isEqualTo(2);
    store(6, 0);
    assertThat(pass(3, 16)).containsExactly(6L);
    clock.set(9_000);
    ack(3);
    ack(5);
    ack(6);
    assertThat(pass(3, 16)).containsExactly(1L);
    assertThat(cursor.aheadCount()).isZero();
  }

  @Test
  void resetStartsOverFromTheHead() {
    store(1, 0);
    store(2, 0);
    assertThat(pass(4, 16)).containsExactly(1L, 2L);
    cursor.reset();
    assertThat(pass(4, 16)).containsExactly(1L, 2L);
  }

  @Test
  void withTimedBatchesEnvelopesWaitForARoundAndLeaveTogether() {
    DeliverySchedule batches =
        new DeliverySchedule(
            TimingSettings.batches(Duration.ofSeconds(1), 2), clock::get, () -> 0.5);
    DeliveryCursor c = new DeliveryCursor();
    clock.set(1_500); // after the start, which counts as a round
    store(1, batches.notBeforeForNewEnvelope());
    batches.stored();
    clock.set(2_000);
    DeliveryCursor.Scan scan = c.scan(read(0, 8), 0, false, 16, clock.get(), batches);
    assertThat(scan.toPush()).isEmpty();
    assertThat(scan.awaitsRound()).isTrue();
    assertThat(scan.wakeAt()).isEqualTo(Long.MAX_VALUE);
    assertThat(batches.round()).isFalse();
    store(2, batches.notBeforeForNewEnvelope());
    batches.stored();
    clock.set(3_000);
    assertThat(batches.round()).isTrue();
    scan = c.scan(read(0, 8), 0, false, 16, clock.get(), batches);
    assertThat(scan.toPush()).extracting(StoredEnvelope::position).containsExactly(1L, 2L);
    assertThat(scan.awaitsRound()).isFalse();
  }
}
