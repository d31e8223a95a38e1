package org.sealpost.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.sealpost.mailbox.MessageId;
import org.sealpost.mailbox.QueueId;
import org.sealpost.mailbox.StoredEnvelope;

/** The rules that keep a remote tail complete, without a cluster (the clock is the test's). */
class RemoteTailsTest {
  private final AtomicLong clock = new AtomicLong();
  private final RemoteTails tails = new RemoteTails(1 << 20, 1_000, clock::get);
  private final QueueId q = queue(1);

  private static QueueId queue(int fill) {
    byte[] id = new byte[QueueId.LENGTH];
    id[0] = (byte) fill;
    return QueueId.of(id);
  }

  private static StoredEnvelope env(long position) {
    byte[] id = new byte[MessageId.LENGTH];
    id[0] = (byte) position;
    byte[] body = new byte[16];
    body[0] = (byte) position;
    return new StoredEnvelope(position, MessageId.of(id), body, 0);
  }

  private static List<Long> positions(List<StoredEnvelope> list) {
    List<Long> out = new ArrayList<>();
    list.forEach(e -> out.add(e.position()));
    return out;
  }

  /** A bus read under a new sync that came back with {@code read}; asserts it was not cached. */
  private void busRead(QueueId queue, long after, int max, List<StoredEnvelope> read) {
    RemoteTails.Lookup l = tails.read(0, queue, after, max);
    assertThat(l.cached()).as("answered here, expected a bus read").isNull();
    tails.readDone(queue, l.sync(), after, max, read);
  }

  private List<Long> cached(QueueId queue, long after, int max) {
    RemoteTails.Lookup l = tails.read(0, queue, after, max);
    assertThat(l.cached()).as("expected an answer from the tail").isNotNull();
    return positions(l.cached());
  }

  private boolean answersHere(QueueId queue, long after) {
    RemoteTails.Lookup l = tails.read(0, queue, after, 8);
    if (l.cached() == null) {
      tails.readDone(queue, l.sync(), after, 8, null); // the bus read failed: nothing installed
      return false;
    }
    return true;
  }

  @Test
  void aShortBusReadMakesATailThatEventsExtendAndAcksShrink() {
    busRead(q, 0, 8, List.of(env(1), env(2)));
    assertThat(cached(q, 0, 8)).containsExactly(1L, 2L);
    tails.announced(q, env(3));
    tails.announced(q, env(4));
    assertThat(cached(q, 2, 8)).containsExactly(3L, 4L);
    assertThat(cached(q, 0, 3)).containsExactly(1L, 2L, 3L); // a full page, in order
    tails.acked(q, env(1).messageId());
    tails.acked(q, env(3).messageId());
    assertThat(cached(q, 0, 8)).containsExactly(2L, 4L);
    assertThat(tails.bytes()).isEqualTo(32);
  }

  @Test
  void anEventThatArrivesAfterItsEnvelopeWasAckedHereDoesNotBringItBack() {
    busRead(q, 0, 8, List.of(env(1), env(2))); // the read overtook the events of 1 and 2
    tails.acked(q, env(1).messageId());
    tails.acked(q, env(2).messageId());
    tails.announced(q, env(1)); // the events arrive late
    tails.announced(q, env(2));
    tails.announced(q, env(3));
    assertThat(cached(q, 0, 8)).containsExactly(3L);
    tails.acked(q, env(3).messageId());
    tails.announced(q, env(3)); // a repeated event changes nothing either
    assertThat(cached(q, 0, 8)).isEmpty();
  }

  @Test
  void theAnswerIsACopyTheCallerOwns() {
    busRead(q, 0, 8, List.of());
    tails.announced(q, env(1));
    List<StoredEnvelope> first = tails.read(0, q, 0, 8).cached();
    first.get(0).envelope()[0] = 99;
    assertThat(tails.read(0, q, 0, 8).cached().get(0).envelope()[0]).isEqualTo((byte) 1);
  }

  @Test
  void aFullPageOrAFailedReadMakesNoTail() {
    busRead(q, 0, 2, List.of(env(1), env(2)));
    assertThat(answersHere(q, 0)).isFalse();
    assertThat(tails.size()).isZero();
  }

  @Test
  void eventsDuringTheBusReadAreMergedAndAcksDuringItAreLeftOut() {
    RemoteTails.Lookup l = tails.read(0, q, 0, 8);
    // while the read travels: an append it may not see, and an Ack of one it saw
    tails.announced(q, env(3));
    tails.acked(q, env(1).messageId());
    tails.readDone(q, l.sync(), 0, 8, List.of(env(1), env(2)));
    assertThat(cached(q, 0, 8)).containsExactly(2L, 3L);
  }

  @Test
  void anEventBeforeAnyReadIsNotKept() {
    tails.announced(q, env(1)); // a queue nobody here reads (not subscribed on this node)
    assertThat(tails.size()).isZero();
    assertThat(answersHere(q, 0)).isFalse();
  }

  @Test
  void aReadBeforeTheTailsStartGoesOverTheBus() {
    busRead(q, 5, 8, List.of(env(6)));
    assertThat(answersHere(q, 4)).isFalse(); // a reset cursor: 5 and below are not known here
    assertThat(cached(q, 5, 8)).containsExactly(6L);
  }

  @Test
  void aTailThatWouldOverflowIsDroppedAndTheSyncStaysComplete() {
    busRead(q, 0, 8, List.of());
    for (int i = 1; i <= RemoteTails.MAX_ENTRIES; i++) {
      tails.announced(q, env(i));
    }
    assertThat(cached(q, 0, 1)).containsExactly(1L);
    tails.announced(q, env(RemoteTails.MAX_ENTRIES + 1));
    assertThat(tails.size()).isZero();
    assertThat(tails.bytes()).isZero();
    assertThat(answersHere(q, 0)).isFalse();
  }

  @Test
  void aTailDroppedWhileABusReadTravelsIsRemadeWithWhatArrivedMeanwhile() {
    busRead(q, 0, 8, List.of());
    RemoteTails.Lookup reset = tails.read(0, q, -1, 8); // before the tail's start: over the bus
    assertThat(reset.cached()).isNull();
    tails.announced(q, env(1)); // kept in the tail and in the sync
    clock.addAndGet(2_000); // the tail's life ends while the read travels
    assertThat(answersHere(q, 0)).isFalse();
    tails.readDone(q, reset.sync(), -1, 8, List.of());
    assertThat(cached(q, -1, 8)).containsExactly(1L);
  }

  @Test
  void anUnavailableOwnerOrAChangeOfMembershipDropsTheTails() {
    QueueId other = queue(2);
    busRead(q, 0, 8, List.of());
    RemoteTails.Lookup l = tails.read(1, other, 0, 8);
    tails.readDone(other, l.sync(), 0, 8, List.of());
    tails.dropShard(0);
    assertThat(answersHere(q, 0)).isFalse();
    assertThat(tails.read(1, other, 0, 8).cached()).isEmpty();
    // a read under way when the owner was lost does not install what it brings back
    RemoteTails.Lookup during = tails.read(0, q, 0, 8);
    tails.dropAll();
    tails.readDone(q, during.sync(), 0, 8, List.of());
    assertThat(tails.size()).isZero();
  }

  @Test
  void aDeletedQueueIsForgotten() {
    busRead(q, 0, 8, List.of(env(1)));
    tails.forget(q);
    assertThat(answersHere(q, 0)).isFalse();
  }

  @Test
  void tailsPastTheirLifeAreSweptAndTheBudgetHolds() {
    busRead(q, 0, 8, List.of(env(1)));
    clock.addAndGet(500);
    tails.sweep();
    assertThat(tails.size()).isOne();
    clock.addAndGet(600);
    tails.sweep();
    assertThat(tails.size()).isZero();
    assertThat(tails.bytes()).isZero();

    RemoteTails small = new RemoteTails(40, 1_000, clock::get);
    RemoteTails.Lookup l = small.read(0, q, 0, 8);
    small.readDone(q, l.sync(), 0, 8, List.of(env(1), env(2)));
    small.announced(q, env(3)); // 48 bytes > 40: dropped
    assertThat(small.size()).isZero();
    assertThat(small.bytes()).isZero();
  }
}
