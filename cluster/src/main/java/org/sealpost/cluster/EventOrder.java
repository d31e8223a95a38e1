package org.sealpost.cluster;

import java.util.HashMap;
import java.util.Map;

/**
 * Issue 14 (session 8): whether a shard's pending events reach this node in the order its owner
 * published them, none missing. The owner numbers each shard's events (a random incarnation per
 * start, then 1, 2, 3, ...: they are published from the shard store's one completion thread, in
 * commit order); a {@link RemoteTails} tail stays complete only while that holds, so any event out
 * of order, after a gap, or from a new incarnation tells the caller to drop the shard's tails.
 * Counts only; no queue. Thread-safe.
 */
final class EventOrder {
  private record Last(long incarnation, long seq) {}

  private final Map<Integer, Last> last = new HashMap<>();

  /**
   * Takes the next event of {@code shard}: {@code true} if it follows the previous one, {@code
   * false} if one was missed or overtaken, the owner restarted, or it is the first seen (an event
   * before it may have been missed).
   */
  synchronized boolean next(int shard, long incarnation, long seq) {
    Last previous = last.put(shard, new Last(incarnation, seq));
    return previous != null && previous.incarnation() == incarnation && seq == previous.seq() + 1;
  }
}
