package org.sealpost.mailbox.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sealpost.mailbox.MessageId;
import org.sealpost.mailbox.QueueId;
import org.sealpost.mailbox.StoredEnvelope;

/** The completeness rules of {@link PendingCache}, without a store around it. */
class PendingCacheUnitTest {
  private static final int HOUR = 100;
  private final QueueId q = QueueId.of(new byte[QueueId.LENGTH]);

  private static MessageId id(int n) {
    byte[] b = new byte[MessageId.LENGTH];
    b[0] = (byte) n;
    return MessageId.of(b);
  }

  private static PendingCache.Entry entry(long seq) {
    return new PendingCache.Entry(seq, id((int) seq), new byte[] {(byte) seq}, HOUR + 1, 0);
  }

  private static List<Long> seqs(List<StoredEnvelope> read) {
    return read.stream().map(StoredEnvelope::position).toList();
  }

  @Test
  void aReadThatRacedAChangeIsNotInstalled() {
    PendingCache c = new PendingCache(1 << 20);
    long before = c.version(q);

    c.appended(q, 3, id(3), new byte[] {3}, HOUR + 1, 0);

    assertThat(c.install(q, before, 0, List.of(entry(1), entry(2)))).isFalse();
    assertThat(c.read(q, 0, 16, HOUR)).isNull();
    assertThat(c.install(q, c.version(q), 0, List.of(entry(1), entry(2), entry(3)))).isTrue();
    assertThat(seqs(c.read(q, 0, 16, HOUR))).containsExactly(1L, 2L, 3L);
  }

  @Test
  void appendsAndAcksKeepTheTailComplete() {
    PendingCache c = new PendingCache(1 << 20);
    c.install(q, c.version(q), 0, List.of(entry(1)));

    c.appended(q, 2, id(2), new byte[] {2}, HOUR + 1, 0);
    c.acked(q, id(1));

    assertThat(seqs(c.read(q, 0, 16, HOUR))).containsExactly(2L);
    assertThat(c.read(q, -1, 16, HOUR)).as("a read starting before the tail").isNull();
    assertThat(c.read(q, 0, 16, HOUR + 1)).as("expired by the hour").isEmpty();
  }

  @Test
  void aTailThatWouldOutgrowItsBoundsIsDropped() {
    PendingCache c = new PendingCache(1 << 20);
    c.install(q, c.version(q), 0, List.of());
    for (int i = 1; i <= PendingCache.MAX_ENTRIES; i++) {
      c.appended(q, i, id(i), new byte[] {1}, HOUR + 1, 0);
    }
    assertThat(c.size()).isEqualTo(1); // not read: a read would let the next append drop them

    c.appended(q, 1000, id(99), new byte[] {1}, HOUR + 1, 0);

    assertThat(c.size()).isZero();
    assertThat(c.read(q, 0, 1000, HOUR)).isNull();
    PendingCache small = new PendingCache(2);
    small.install(q, small.version(q), 0, List.of());
    small.appended(q, 1, id(1), new byte[3], HOUR + 1, 0);
    assertThat(small.read(q, 0, 16, HOUR)).as("over the byte budget").isNull();
  }

  @Test
  void deletingTheQueueOrClearingForgetsTheTail() {
    PendingCache c = new PendingCache(1 << 20);
    c.install(q, c.version(q), 0, List.of(entry(1)));
    long v = c.version(q);
    c.dropped(q);
    assertThat(c.read(q, 0, 16, HOUR)).isNull();
    assertThat(c.install(q, v, 0, List.of())).isFalse();

    c.install(q, c.version(q), 0, List.of(entry(1)));
    v = c.version(q);
    c.clear();
    assertThat(c.read(q, 0, 16, HOUR)).isNull();
    assertThat(c.install(q, v, 0, List.of())).isFalse();
  }

  @Test
  void theCacheKeepsItsOwnCopyOfAnAppendedEnvelope() {
    PendingCache c = new PendingCache(1 << 20);
    c.install(q, c.version(q), 0, List.of());
    byte[] appended = {7, 7};

    c.appended(q, 1, id(1), appended, HOUR + 1, 0);
    appended[0] = 0; // the caller reuses its array once the append completed

    assertThat(c.read(q, 0, 16, HOUR).get(0).envelope()).containsExactly(7, 7);
  }

  // issue 13: pushed envelopes are not kept until their (possibly held) Ack

  @Test
  void envelopesAReadWasAnsweredWithLeaveAtTheWritersNextChange() {
    // a budget of 3 bytes: the fourth envelope fits only once the three read ones are gone
    PendingCache c = new PendingCache(3);
    c.install(q, c.version(q), 0, List.of(entry(1), entry(2), entry(3)));
    assertThat(seqs(c.read(q, 0, 16, HOUR))).containsExactly(1L, 2L, 3L);

    c.appended(q, 4, id(4), new byte[] {4}, HOUR + 1, 0);

    assertThat(seqs(c.read(q, 3, 16, HOUR))).as("reading on").containsExactly(4L);
    assertThat(c.read(q, 0, 16, HOUR)).as("reading again from the start goes to disk").isNull();
  }

  @Test
  void anAckAlsoDropsWhatWasReadAndAReadStoppedByItsLimitKeepsTheRest() {
    PendingCache c = new PendingCache(1 << 20);
    c.install(q, c.version(q), 0, List.of(entry(1), entry(2), entry(3)));
    assertThat(seqs(c.read(q, 0, 2, HOUR))).containsExactly(1L, 2L);

    c.acked(q, id(1)); // the Ack of an envelope already dropped changes nothing more

    assertThat(c.read(q, 1, 16, HOUR)).as("the tail now starts after 2").isNull();
    assertThat(seqs(c.read(q, 2, 16, HOUR))).containsExactly(3L);
    c.acked(q, id(3));
    assertThat(c.read(q, 3, 16, HOUR)).isEmpty();
  }

  @Test
  void anUnreadTailIsUntouchedByAcksOfOtherEnvelopes() {
    PendingCache c = new PendingCache(1 << 20);
    c.install(q, c.version(q), 0, List.of(entry(1), entry(2)));

    c.acked(q, id(7));

    assertThat(seqs(c.read(q, 0, 16, HOUR))).containsExactly(1L, 2L);
  }
}
