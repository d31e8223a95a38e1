package org.sealpost.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.sealpost.mailbox.MessageId;
import org.sealpost.mailbox.QueueId;
import org.sealpost.mailbox.StoredEnvelope;

/**
 * Issue 14 (session 8): the session node's copy of the pending tails of queues on other nodes'
 * shards, so that a remote subscriber's push reads the envelope the pending event carried instead
 * of reading it back over the event bus.
 *
 * <p>A {@link Tail} holds <em>every</em> live envelope of its queue after {@code after}, as the
 * owner's store holds them; only then may a read be answered from it. Completeness is kept as the
 * store's own pending cache keeps it (mailbox {@code PendingCache}):
 *
 * <ul>
 *   <li>A tail is made only from a read over the bus that came back short (it saw every pending
 *       envelope after its start), merged with every pending event that arrived since <em>before
 *       the read was sent</em> (a {@link Sync}): an append the read did not see committed after the
 *       read's snapshot, so its event was published after the sync began and was recorded.
 *   <li>Afterwards each pending event adds its envelope, and each Ack this node's sessions got
 *       answered removes it. That needs every event, in order: the owner numbers each shard's
 *       events, and an event out of order or after a gap drops the shard's tails ({@link
 *       EventOrder}), since a tail that lacks an envelope still on its way would let a push skip
 *       it. An overflow of the bounds drops the tail; an unavailable owner drops its shard's tails;
 *       a tail is dropped {@link #lifetimeNanos} after it was made. Dropping never loses anything:
 *       the next read goes over the bus.
 * </ul>
 *
 * What this copy cannot see makes a delivery at most repeated, never lost: an envelope deleted by
 * another node's session (a Get and Ack there) or expired on the owner stays here until the tail is
 * dropped, and may be pushed once more (delivery is at least once; its Ack then finds nothing). An
 * event lost on the bus (a broken connection) leaves the tail without that envelope until the next
 * event for the queue or the end of the tail's life, as it left the subscriber without a push
 * before.
 *
 * <p>Memory: at most {@link #MAX_ENTRIES} envelopes per queue, {@code maxBytes} of envelopes in
 * all, {@link #MAX_TAILS} queues. Holds queue IDs and sealed envelopes in this process only (never
 * in a cluster-manager map, a log or a metric). Thread-safe: events arrive on the cluster's event
 * loop, reads and Acks on the relay's.
 */
final class RemoteTails {
  /** Envelopes kept per queue; a queue with more pending is read over the bus. */
  static final int MAX_ENTRIES = 64;

  /** Queues with a tail at most; beyond it every tail is dropped (rare: they are remade). */
  static final int MAX_TAILS = 1 << 16;

  /** The default budget for the envelopes held, in bytes. */
  static final long DEFAULT_MAX_BYTES = 16L << 20;

  /** The default life of a tail: bounds how long a copy can miss a deletion made elsewhere. */
  static final long DEFAULT_LIFETIME_NANOS = 30_000_000_000L;

  /** Every live envelope of a queue with a position after {@code after}, by position. */
  private static final class Tail {
    final int shard;
    final long after;
    final long madeAt;
    final TreeMap<Long, StoredEnvelope> entries = new TreeMap<>();
    // the highest position this tail has seen (read or announced): one at or below it that is not
    // in entries was acked here, and an event for it that arrives late must not bring it back
    long highest;

    Tail(int shard, long after, long madeAt) {
      this.shard = shard;
      this.after = after;
      this.madeAt = madeAt;
    }
  }

  /**
   * Reads over the bus that may make a queue's tail, and what happened to the queue since the first
   * of them was sent. One per queue while any is in flight.
   */
  static final class Sync {
    private final int shard;
    private final TreeMap<Long, StoredEnvelope> announced = new TreeMap<>();
    private final Set<MessageId> acked = new HashSet<>();
    private int readers;
    private boolean spoiled;

    private Sync(int shard) {
      this.shard = shard;
    }
  }

  /**
   * What a read found here: the answer, or the sync under which to read over the bus.
   *
   * @param cached the answer (copies the caller owns), or null
   * @param sync to hand to {@link #readDone} with the bus's answer, when {@code cached} is null
   */
  record Lookup(List<StoredEnvelope> cached, Sync sync) {}

  private final Map<QueueId, Tail> tails = new HashMap<>();
  private final Map<QueueId, Sync> syncs = new HashMap<>();
  private final long maxBytes;
  private final long lifetimeNanos;
  private final LongSupplier nanoClock;
  private long bytes;
  private long hits;
  private long misses;

  RemoteTails() {
    this(DEFAULT_MAX_BYTES, DEFAULT_LIFETIME_NANOS, System::nanoTime);
  }

  RemoteTails(long maxBytes, long lifetimeNanos, LongSupplier nanoClock) {
    this.maxBytes = maxBytes;
    this.lifetimeNanos = lifetimeNanos;
    this.nanoClock = nanoClock;
  }

  /**
   * Up to {@code maxCount} pending envelopes of {@code queue} after {@code afterPosition} from its
   * tail, or else a sync to read them over the bus under (begun now, before the read is sent).
   */
  synchronized Lookup read(int shard, QueueId queue, long afterPosition, int maxCount) {
    Tail t = tails.get(queue);
    if (t != null && nanoClock.getAsLong() - t.madeAt > lifetimeNanos) {
      remove(queue);
      t = null;
    }
    if (t != null && afterPosition >= t.after) {
      hits++;
      List<StoredEnvelope> out = new ArrayList<>(Math.min(maxCount, t.entries.size()));
      for (StoredEnvelope e : t.entries.tailMap(afterPosition, false).values()) {
        if (out.size() >= maxCount) {
          break;
        }
        out.add(copy(e));
      }
      return new Lookup(out, null);
    }
    misses++;
    Sync s = syncs.computeIfAbsent(queue, q -> new Sync(shard));
    s.readers++;
    return new Lookup(null, s);
  }

  /**
   * A read over the bus begun under {@code sync} ended: a short page ({@code read} holds fewer than
   * {@code maxCount}) makes the queue's tail; {@code read} is null if the read failed.
   */
  synchronized void readDone(
      QueueId queue, Sync sync, long afterPosition, int maxCount, List<StoredEnvelope> read) {
    sync.readers--;
    if (sync.readers == 0 && syncs.get(queue) == sync) {
      syncs.remove(queue);
    }
    if (read == null
        || read.size() >= maxCount
        || sync.spoiled
        || tails.containsKey(queue)
        || read.size() + sync.announced.size() > MAX_ENTRIES) {
      return;
    }
    if (tails.size() >= MAX_TAILS) {
      clear();
    }
    Tail t = new Tail(sync.shard, afterPosition, nanoClock.getAsLong());
    t.highest = afterPosition;
    for (StoredEnvelope e : read) {
      t.highest = Math.max(t.highest, e.position());
      if (e.position() > afterPosition && !sync.acked.contains(e.messageId())) {
        t.entries.put(e.position(), copy(e));
      }
    }
    for (StoredEnvelope e : sync.announced.tailMap(afterPosition, false).values()) {
      t.highest = Math.max(t.highest, e.position());
      if (!sync.acked.contains(e.messageId())) {
        t.entries.putIfAbsent(e.position(), e);
      }
    }
    long size = sizeOf(t);
    if (bytes + size > maxBytes) {
      return;
    }
    bytes += size;
    tails.put(queue, t);
  }

  /**
   * The owner announced a durable envelope of {@code queue} (a pending event); {@code envelope} is
   * kept as given (the caller hands it over).
   */
  synchronized void announced(QueueId queue, StoredEnvelope envelope) {
    // a sync records every event, tail or not: a tail dropped while it reads must not leave a gap
    Sync s = syncs.get(queue);
    if (s != null && !s.spoiled) {
      if (s.announced.size() >= MAX_ENTRIES) {
        s.spoiled = true;
        s.announced.clear();
      } else {
        s.announced.put(envelope.position(), envelope);
      }
    }
    Tail t = tails.get(queue);
    // a queue's events arrive in position order (EventOrder), so one at or below the highest seen
    // is in the tail already or was acked here since (issue 14, session 9)
    if (t == null || envelope.position() <= t.highest) {
      return;
    }
    t.highest = envelope.position();
    if (t.entries.size() >= MAX_ENTRIES || bytes + envelope.envelope().length > maxBytes) {
      remove(queue);
      return;
    }
    t.entries.put(envelope.position(), envelope);
    bytes += envelope.envelope().length;
  }

  /** An Ack of {@code queue} sent from this node was answered: the envelope is gone. */
  synchronized void acked(QueueId queue, MessageId messageId) {
    Tail t = tails.get(queue);
    if (t != null) {
      Iterator<StoredEnvelope> it = t.entries.values().iterator();
      while (it.hasNext()) {
        StoredEnvelope e = it.next();
        if (e.messageId().equals(messageId)) {
          it.remove();
          bytes -= e.envelope().length;
          break;
        }
      }
    }
    Sync s = syncs.get(queue);
    if (s != null) {
      s.acked.add(messageId);
    }
  }

  /** Forgets {@code queue} (deleted from this node). */
  synchronized void forget(QueueId queue) {
    remove(queue);
    Sync s = syncs.get(queue);
    if (s != null) {
      s.spoiled = true;
    }
  }

  /** {@code shard}'s owner did not answer: its events may have been lost; forget its tails. */
  synchronized void dropShard(int shard) {
    tails
        .entrySet()
        .removeIf(
            e -> {
              if (e.getValue().shard != shard) {
                return false;
              }
              bytes -= sizeOf(e.getValue());
              return true;
            });
    for (Sync s : syncs.values()) {
      if (s.shard == shard) {
        s.spoiled = true;
      }
    }
  }

  /** The membership changed: events may have been lost anywhere; forget every tail. */
  synchronized void dropAll() {
    clear();
    for (Sync s : syncs.values()) {
      s.spoiled = true;
    }
  }

  /** Drops the tails past their life (called now and then, so idle ones do not stay). */
  synchronized void sweep() {
    long now = nanoClock.getAsLong();
    tails
        .entrySet()
        .removeIf(
            e -> {
              if (now - e.getValue().madeAt <= lifetimeNanos) {
                return false;
              }
              bytes -= sizeOf(e.getValue());
              return true;
            });
  }

  /** Queues with a tail (for tests). */
  synchronized int size() {
    return tails.size();
  }

  /** Bytes of envelopes held (for tests). */
  synchronized long bytes() {
    return bytes;
  }

  /** Reads answered here, and reads that went over the bus (aggregates, for the benchmarks). */
  synchronized long[] counts() {
    return new long[] {hits, misses};
  }

  private void clear() {
    tails.clear();
    bytes = 0;
  }

  private void remove(QueueId queue) {
    Tail old = tails.remove(queue);
    if (old != null) {
      bytes -= sizeOf(old);
    }
  }

  private static long sizeOf(Tail t) {
    long size = 0;
    for (StoredEnvelope e : t.entries.values()) {
      size += e.envelope().length;
    }
    return size;
  }

  private static StoredEnvelope copy(StoredEnvelope e) {
    return new StoredEnvelope(e.position(), e.messageId(), e.envelope().clone(), e.notBefore());
  }
}
