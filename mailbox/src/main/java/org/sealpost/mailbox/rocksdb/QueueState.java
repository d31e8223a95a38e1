package org.sealpost.mailbox.rocksdb;

import org.sealpost.mailbox.MessageId;
import org.sealpost.mailbox.QueueId;

/**
 * In-memory state of an active queue, owned by the writer thread. Rebuilt on demand from a reverse
 * scan of the queue's {@code keys} range, so only a bounded number of queues is ever in memory.
 */
final class QueueState {
  final QueueId id;

  /** Next sequence number; only ever grows. */
  long nextSeq;

  /** Pending envelopes and their bytes, for quotas. */
  int count;

  long bytes;

  /** Expiry hour whose index entry this queue already has (-1: unknown). */
  int indexedExpiryHour = -1;

  int lastActivityHour;

  /** Record plaintext written earlier in the current, not yet committed group. */
  byte[] pendingRecord;

  boolean deleted;

  /**
   * No committed envelope of this queue has a sequence number below this: where a forward scan of
   * its {@code keys} range starts. Scanning from 1 instead walks the tombstones of every envelope
   * deleted since the last flush — each delivered message leaves one — so an ack that missed {@link
   * #recentSeqOf} cost time growing with the queue's traffic (issue 13, 2026-12-06: the owner's
   * store in the cluster hop benchmark spent most of its native time there). Raised when the lowest
   * envelope is deleted or a scan finds the lowest one; rebuilt from the tally.
   */
  long scanFrom = 1;

  /**
   * The last few appended envelopes (seq, message ID, length), so an ack of a recent envelope — the
   * usual case — finds its sequence number without an iterator. Lost on eviction; acks then scan.
   */
  private static final int RECENT = 8;

  private long[] recentSeq;
  private byte[] recentIds;
  private int[] recentLength;

  QueueState(QueueId id) {
    this.id = id;
  }

  /** A scan (or a deletion) showed that nothing committed lies below {@code seq}. */
  void noneBelow(long seq) {
    scanFrom = Math.max(scanFrom, seq);
  }

  /** Envelope {@code seq} is deleted (in the group being built): the floor moves past it. */
  void deletedSeq(long seq) {
    if (seq == scanFrom) {
      scanFrom = seq + 1;
    }
  }

  void remember(long seq, MessageId messageId, int length) {
    if (recentSeq == null) {
      recentSeq = new long[RECENT];
      recentIds = new byte[RECENT * MessageId.LENGTH];
      recentLength = new int[RECENT];
    }
    int slot = (int) (seq & (RECENT - 1));
    recentSeq[slot] = seq;
    System.arraycopy(messageId.bytes(), 0, recentIds, slot * MessageId.LENGTH, MessageId.LENGTH);
    recentLength[slot] = length;
  }

  /** Sequence number of a remembered envelope with this ID, or 0. */
  long recentSeqOf(MessageId messageId) {
    if (recentSeq != null) {
      for (int i = 0; i < RECENT; i++) {
        if (recentSeq[i] != 0 && messageId.matches(recentIds, i * MessageId.LENGTH)) {
          return recentSeq[i];
        }
      }
    }
    return 0;
  }

  int recentLengthOf(long seq) {
    return recentLength[(int) (seq & (RECENT - 1))];
  }

  void forget(long seq) {
    if (recentSeq != null && recentSeq[(int) (seq & (RECENT - 1))] == seq) {
      recentSeq[(int) (seq & (RECENT - 1))] = 0;
    }
  }
}
