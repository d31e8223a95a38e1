package org.sealpost.mailbox.rocksdb;

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

  QueueState(QueueId id) {
    this.id = id;
  }
}
