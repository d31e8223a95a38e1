package org.sealpost.benchmarks.load;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts delivered messages by index, telling first deliveries from duplicates (every peer here
 * delivers at least once, so a redelivery after a lost ack is possible and is reported).
 */
public final class DeliveryTracker {
  private final AtomicLongArray seen;
  private final int capacity;
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong lastDeliveryNanos = new AtomicLong();

  /** Tracks message indexes {@code 0..capacity-1}. */
  public DeliveryTracker(int capacity) {
    this.capacity = capacity;
    this.seen = new AtomicLongArray((capacity + 63) / 64);
  }

  public int capacity() {
    return capacity;
  }

  /** Marks {@code index} delivered; returns false if it had been delivered before. */
  public boolean deliver(int index, long nowNanos) {
    if (index < 0 || index >= capacity) {
      throw new IllegalArgumentException("message index out of range");
    }
    int word = index >>> 6;
    long bit = 1L << (index & 63);
    while (true) {
      long old = seen.get(word);
      if ((old & bit) != 0) {
        duplicates.incrementAndGet();
        return false;
      }
      if (seen.compareAndSet(word, old, old | bit)) {
        delivered.incrementAndGet();
        lastDeliveryNanos.accumulateAndGet(nowNanos, Math::max);
        return true;
      }
    }
  }

  public long delivered() {
    return delivered.get();
  }

  public long duplicates() {
    return duplicates.get();
  }

  public long lastDeliveryNanos() {
    return lastDeliveryNanos.get();
  }
}
