package org.sealpost.relay.delivery;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.sealpost.mailbox.MailboxStore;
import org.sealpost.mailbox.StoredEnvelope;

/**
 * Which of a queue's pending envelopes one session pushes next, when some are not yet deliverable
 * (issue 10): envelopes mature out of append order, so a single "last pushed" position no longer
 * says what was pushed. The cursor keeps a <em>prefix</em> (every envelope at or before it was
 * pushed in this session) and the positions pushed beyond it; reads start after the prefix.
 *
 * <p>With nothing held back it behaves as the plain position cursor: the prefix is the last pushed
 * position and nothing is kept beyond it. Memory beyond the prefix is bounded by the window plus
 * acknowledgements not yet seen by a read: a position that a later read of its range no longer
 * returns was deleted, and is forgotten. Lives on the session's context only.
 */
final class DeliveryCursor {
  private long prefix = MailboxStore.START;
  private final TreeSet<Long> ahead = new TreeSet<>();

  /**
   * What one page gave.
   *
   * @param toPush the envelopes to push now, in append order
   * @param wakeAt the earliest time at which an envelope seen but held back may be delivered;
   *     {@link Long#MAX_VALUE} when none was held back for its time
   * @param awaitsRound an envelope whose time has come waits for a round of timed batches
   * @param continueAfter where the next page of the same pass starts, or -1 when the pass is over
   *     (the page was short, or {@code room} was reached)
   */
  record Scan(List<StoredEnvelope> toPush, long wakeAt, boolean awaitsRound, long continueAfter) {}

  /** Where a new pass of reads starts. */
  long readAfter() {
    return prefix;
  }

  /**
   * Takes one page read after {@code readAfter}, as the store returned it (append order, {@code
   * full} when it holds as many envelopes as asked).
   *
   * @param room how many envelopes may be pushed from this page at most
   */
  Scan scan(
      List<StoredEnvelope> page,
      long readAfter,
      boolean full,
      int room,
      long now,
      DeliverySchedule schedule) {
    List<StoredEnvelope> out = new ArrayList<>(Math.min(room, page.size()));
    // a page that continues a pass is behind a gap exactly when the prefix stopped before it
    boolean gap = readAfter > prefix;
    long wakeAt = Long.MAX_VALUE;
    boolean awaitsRound = false;
    long last = readAfter;
    boolean stopped = false;
    Set<Long> seen = new HashSet<>();
    for (StoredEnvelope e : page) {
      long pos = e.position();
      if (pos <= readAfter) {
        continue;
      }
      if (ahead.contains(pos)) {
        seen.add(pos); // pushed before, still pending: not again
        if (!gap) {
          prefix = pos;
        }
        last = pos;
        continue;
      }
      if (!schedule.deliverable(e.notBefore(), now)) {
        gap = true;
        long at = schedule.wakeAt(e.notBefore(), now);
        wakeAt = Math.min(wakeAt, at);
        awaitsRound |= at == Long.MAX_VALUE;
        last = pos;
        continue;
      }
      if (out.size() >= room) {
        stopped = true;
        break;
      }
      out.add(e);
      if (gap) {
        ahead.add(pos);
        seen.add(pos);
      } else {
        prefix = pos;
      }
      last = pos;
    }
    forgetDeleted(readAfter, stopped || full ? last : Long.MAX_VALUE, seen);
    return new Scan(out, wakeAt, awaitsRound, full && !stopped ? last : -1);
  }

  /** Positions pushed ahead that a read of (from, to] no longer returned were deleted. */
  private void forgetDeleted(long from, long to, Set<Long> seen) {
    if (ahead.isEmpty()) {
      return;
    }
    ahead.headSet(prefix, true).clear();
    Iterator<Long> it = ahead.subSet(from, false, to, true).iterator();
    while (it.hasNext()) {
      if (!seen.contains(it.next())) {
        it.remove();
      }
    }
  }

  /** Positions remembered beyond the prefix (for tests of the memory bound). */
  int aheadCount() {
    return ahead.size();
  }

  /** Starts over from the head (after an eviction). */
  void reset() {
    prefix = MailboxStore.START;
    ahead.clear();
  }
}
