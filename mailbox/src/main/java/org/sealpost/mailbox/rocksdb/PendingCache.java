package org.sealpost.mailbox.rocksdb;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.sealpost.mailbox.MessageId;
import org.sealpost.mailbox.QueueId;
import org.sealpost.mailbox.StoredEnvelope;

/**
 * The pending envelopes of queues that are being read, decrypted and in append order, so that a
 * subscriber that keeps up is served from memory: no iterator, no point reads, no decryption and no
 * hop to the read pool for each envelope it is pushed.
 *
 * <p>A queue's {@link Tail} holds <em>every</em> live envelope with a position after {@code after}.
 * That completeness is what makes it safe to answer from, and it is kept by two rules:
 *
 * <ul>
 *   <li>Only the writer thread changes tails, after a group's write succeeded and before its
 *       futures complete: an append adds its envelope, an ack removes it, deleting the queue or any
 *       expiry drops the tail (or all of them). A tail that would grow past its bounds is dropped.
 *   <li>A tail is made from a disk read that came back short (so it saw everything after its start
 *       position), and only if nothing changed the queue between the moment the read began and the
 *       moment the writer installs it: every change bumps a counter of the queue's stripe, the read
 *       notes the counter first, and the install compares.
 * </ul>
 *
 * Readers see immutable tails through a concurrent map. Dropping a tail never loses anything: the
 * next read goes to disk. Memory is bounded by a byte budget and a cap on entries per queue.
 */
final class PendingCache {
  private static final int STRIPES = 4096;

  /** Envelopes kept per queue; a queue with more pending is read from disk. */
  static final int MAX_ENTRIES = 64;

  /** One pending envelope; {@code envelope} is never handed out (readers get a copy). */
  record Entry(long seq, MessageId id, byte[] envelope, int expiresHour, long notBefore) {}

  /**
   * Every live envelope of a queue with a position greater than {@code after}; {@code readTo} is
   * the highest position a read was answered up to (shared by the tails that replace this one).
   */
  record Tail(long after, Entry[] entries, long bytes, AtomicLong readTo) {}

  private final ConcurrentHashMap<QueueId, Tail> tails = new ConcurrentHashMap<>();
  private final AtomicLongArray versions = new AtomicLongArray(STRIPES);
  private final long maxBytes;
  private final int maxTails;
  // writer thread only
  private long bytes;

  PendingCache(long maxBytes) {
    this.maxBytes = maxBytes;
    // an empty tail costs ~150 bytes; the cap keeps idle subscriptions from filling the budget
    this.maxTails = (int) Math.min(1 << 16, Math.max(1, maxBytes / 512));
  }

  boolean enabled() {
    return maxBytes > 0;
  }

  // ---- readers (any thread) ----------------------------------------------------------------

  /** What a read must note before it starts, to have its result installed later. */
  long version(QueueId q) {
    return versions.get(stripe(q));
  }

  /**
   * The pending envelopes after {@code afterPosition}, at most {@code limit}, unexpired at {@code
   * hour}, as copies; null if this cache cannot answer (no tail, or it starts later).
   */
  List<StoredEnvelope> read(QueueId q, long afterPosition, int limit, int hour) {
    Tail t = tails.get(q);
    if (t == null || afterPosition < t.after()) {
      return null;
    }
    List<StoredEnvelope> out = new ArrayList<>(Math.min(limit, t.entries().length));
    for (Entry e : t.entries()) {
      if (out.size() >= limit) {
        break;
      }
      if (e.seq() > afterPosition && e.expiresHour() > hour) {
        out.add(new StoredEnvelope(e.seq(), e.id(), e.envelope().clone(), e.notBefore()));
      }
    }
    if (!out.isEmpty()) {
      // issue 13: what was handed out is not kept past the writer's next change of the queue
      long last = out.get(out.size() - 1).position();
      t.readTo().accumulateAndGet(last, Math::max);
    }
    return out;
  }

  // ---- writer thread -------------------------------------------------------------------------

  /**
   * An append of {@code q} was committed; {@code envelope} is the caller's array, copied if kept
   * (the caller may reuse it once the append completes).
   */
  void appended(
      QueueId q, long seq, MessageId id, byte[] envelope, int expiresHour, long notBefore) {
    bump(q);
    Tail t = tails.get(q);
    if (t == null) {
      return;
    }
    long freed = t.bytes();
    t = withoutRead(t);
    freed -= t.bytes();
    if (t.entries().length >= MAX_ENTRIES || bytes - freed + envelope.length > maxBytes) {
      remove(q);
      return;
    }
    Entry[] entries = Arrays.copyOf(t.entries(), t.entries().length + 1);
    entries[entries.length - 1] = new Entry(seq, id, envelope.clone(), expiresHour, notBefore);
    put(q, new Tail(t.after(), entries, t.bytes() + envelope.length, t.readTo()));
  }

  /** An ack of {@code q} that deleted an envelope was committed. */
  void acked(QueueId q, MessageId id) {
    bump(q);
    Tail t = tails.get(q);
    if (t == null) {
      return;
    }
    t = withoutRead(t);
    Entry[] old = t.entries();
    for (int i = 0; i < old.length; i++) {
      if (old[i].id().equals(id)) {
        Entry[] entries = new Entry[old.length - 1];
        System.arraycopy(old, 0, entries, 0, i);
        System.arraycopy(old, i + 1, entries, i, old.length - i - 1);
        t = new Tail(t.after(), entries, t.bytes() - old[i].envelope().length, t.readTo());
        break;
      }
    }
    if (t != tails.get(q)) {
      put(q, t);
    }
  }

  /**
   * Issue 13: {@code t} without the envelopes a read was already answered with. A subscriber reads
   * on from the last envelope it was pushed; what it was pushed stays stored until its Ack, and a
   * later read from an earlier position (a new session after a lost connection) goes to disk, since
   * the tail then starts later. Keeping pushed envelopes until their Ack (which a client may hold
   * up to {@code ClientOptions.ackHold}) kept them alive long enough to be copied into the old
   * generation, where they died: measured in docs/benchmarks.md. Still complete: every live
   * envelope after the new {@code after} is kept.
   */
  private static Tail withoutRead(Tail t) {
    long mark = t.readTo().get();
    if (mark <= t.after()) {
      return t;
    }
    Entry[] old = t.entries();
    int keep = 0;
    long bytes = t.bytes();
    while (keep < old.length && old[keep].seq() <= mark) {
      bytes -= old[keep].envelope().length;
      keep++;
    }
    return new Tail(mark, Arrays.copyOfRange(old, keep, old.length), bytes, t.readTo());
  }

  /** {@code q} was deleted. */
  void dropped(QueueId q) {
    bump(q);
    remove(q);
  }

  /** Anything may have changed (expiry, a failed group): forget every tail. */
  void clear() {
    for (int i = 0; i < STRIPES; i++) {
      versions.incrementAndGet(i);
    }
    tails.clear();
    bytes = 0;
  }

  /**
   * Installs the result of a short disk read that began at {@code version}: {@code entries} are all
   * the live envelopes after {@code after}. Refused if the queue changed since, or over budget.
   */
  boolean install(QueueId q, long version, long after, List<Entry> entries) {
    if (versions.get(stripe(q)) != version || tails.containsKey(q)) {
      return false;
    }
    long size = 0;
    for (Entry e : entries) {
      size += e.envelope().length;
    }
    if (entries.size() > MAX_ENTRIES || bytes + size > maxBytes) {
      return false;
    }
    if (tails.size() >= maxTails) {
      clear(); // rare: many queues read once; start over rather than track recency
    }
    put(q, new Tail(after, entries.toArray(Entry[]::new), size, new AtomicLong(after)));
    return true;
  }

  int size() {
    return tails.size();
  }

  private void put(QueueId q, Tail t) {
    Tail old = tails.put(q, t);
    bytes += t.bytes() - (old == null ? 0 : old.bytes());
  }

  private void remove(QueueId q) {
    Tail old = tails.remove(q);
    if (old != null) {
      bytes -= old.bytes();
    }
  }

  private void bump(QueueId q) {
    versions.incrementAndGet(stripe(q));
  }

  private static int stripe(QueueId q) {
    return (q.hashCode() & 0x7fffffff) % STRIPES;
  }
}
