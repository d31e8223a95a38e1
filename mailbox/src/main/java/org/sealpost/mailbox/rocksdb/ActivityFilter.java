package org.sealpost.mailbox.rocksdb;

import java.util.concurrent.atomic.AtomicLongArray;
import org.sealpost.mailbox.QueueId;

/**
 * Remembers, in a fixed-size lossy table, which queues a read already reported as active this hour,
 * so reads send at most about one activity update per queue and hour to the writer without reading
 * the queue record. A collision only costs an extra (cheap, idempotent) update.
 */
final class ActivityFilter {
  private static final int SLOTS = 1 << 16;
  private final AtomicLongArray slots = new AtomicLongArray(SLOTS);

  /** True if {@code queue} has not been reported in {@code hour} yet; records it. */
  boolean firstThisHour(QueueId queue, int hour) {
    int h = queue.hashCode();
    long tag = ((long) h << 32) | (hour & 0xffffffffL);
    int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
    if (slots.get(slot) == tag) {
      return false;
    }
    slots.set(slot, tag);
    return true;
  }
}
