package org.sealpost.mailbox.rocksdb;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import org.rocksdb.RocksDBException;
import org.sealpost.mailbox.MailboxConfig;
import org.sealpost.mailbox.MailboxException;
import org.sealpost.mailbox.MailboxStats;
import org.sealpost.mailbox.QueueId;
import org.sealpost.mailbox.rocksdb.RocksEngine.Family;

/**
 * The single writer thread. Submitted ops wait in a bounded queue (full: {@code OVERLOAD}); the
 * thread takes every op waiting (up to {@code maxGroupSize}), applies them to one {@link
 * WriteBatch}, writes it with one WAL write (synced under {@code SyncPolicy.ALWAYS}) and only then
 * hands the ops to the completer thread, which completes their futures in submission order.
 *
 * <p>This thread owns the active-queue cache and the aggregate counters, so no locks are needed.
 */
final class GroupCommitWriter {
  static final byte[] META_STATS = "stats".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] EMPTY = new byte[0];
  private static final long DISK_REFRESH_NANOS = 100_000_000L;

  private final RocksEngine engine;
  private final InternalErrors errors;
  final AtRestCrypto crypto;
  final MailboxConfig config;
  private final Clock clock;
  private final BlockingQueue<WriteOp<?>> queue;
  private final Thread thread;

  /**
   * Completes each durable group's futures, in order, so the writer can start the next group at
   * once (completing ~40 futures, each waking a waiting thread, took about a quarter of a cycle).
   * Bounded: a slow completer holds the writer back instead of queueing without limit.
   */
  private final BlockingQueue<Runnable> completions;

  private final Thread completer;
  private final WriteOp<Void> poison = new Poison();
  private volatile boolean closing;

  private final LinkedHashMap<QueueId, QueueState> cache = new LinkedHashMap<>(1024, 0.75f, true);
  private long floorSeq;
  private long queues;
  private long envelopes;
  private long envelopeBytes;
  private long measuredDisk;
  private long appendedSinceMeasure;
  private long lastMeasureNanos;
  private volatile long[] published = new long[4];
  private final AtomicLong groups = new AtomicLong();

  /** Native write batches not yet closed (one per group in the making): 0 when idle. */
  private final AtomicLong openBatches = new AtomicLong();

  /** Deletions committed since the shredder last ran. */
  final AtomicLong deletesSinceShred = new AtomicLong(1);

  final AtomicLong queueDeletesSinceShred = new AtomicLong(1);

  /** Pending envelopes of queues being read; changed only here, after a commit. */
  final PendingCache pending;

  GroupCommitWriter(
      RocksEngine engine,
      AtRestCrypto crypto,
      MailboxConfig config,
      Clock clock,
      long epoch,
      long[] stats,
      InternalErrors errors,
      ThreadFactory threads) {
    this.engine = engine;
    this.errors = errors;
    this.crypto = crypto;
    this.config = config;
    this.clock = clock;
    this.pending = new PendingCache(config.pendingCacheBytes());
    this.queue = new ArrayBlockingQueue<>(config.submissionQueueCapacity());
    this.floorSeq = epoch << 40;
    this.queues = stats[0];
    this.envelopes = stats[1];
    this.envelopeBytes = stats[2];
    this.lastMeasureNanos = System.nanoTime() - DISK_REFRESH_NANOS;
    publish();
    this.thread = threads.newThread(this::run);
    this.completions = new ArrayBlockingQueue<>(Math.max(16, config.submissionQueueCapacity() / 8));
    this.completer = threads.newThread(this::complete);
  }

  void start() {
    completer.start();
    thread.start();
  }

  /** True on the threads that complete futures (where close() would wait for itself). */
  boolean isOwnThread(Thread t) {
    return t == thread || t == completer;
  }

  private static final Runnable STOP = () -> {};

  private void complete() {
    while (true) {
      Runnable r;
      try {
        r = completions.take();
      } catch (InterruptedException e) {
        continue; // only close() stops the completer
      }
      if (r == STOP) {
        return;
      }
      r.run();
    }
  }

  private void handOff(Runnable r) {
    while (true) {
      try {
        completions.put(r);
        return;
      } catch (InterruptedException e) {
        // the writer is never interrupted on purpose; keep the completion
      }
    }
  }

  /** Queues {@code op}; a full queue or a closed store fails it at once. */
  <T> java.util.concurrent.CompletableFuture<T> submit(WriteOp<T> op) {
    if (closing) {
      op.future.completeExceptionally(
          new MailboxException(MailboxException.Code.CLOSED, op.name() + ": store closed"));
    } else if (!queue.offer(op)) {
      op.future.completeExceptionally(
          new MailboxException(MailboxException.Code.OVERLOAD, op.name() + ": writer queue full"));
    }
    return op.future;
  }

  /** Finishes every op already queued, then stops the thread. */
  void close() {
    closing = true;
    boolean interrupted = false;
    while (true) {
      try {
        queue.put(poison);
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    while (true) {
      try {
        thread.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    handOff(STOP);
    while (true) {
      try {
        completer.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    WriteOp<?> left;
    while ((left = queue.poll()) != null) {
      left.fail(new MailboxException(MailboxException.Code.CLOSED, left.name() + ": store closed"));
      left.complete(null);
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Write batches currently open; 0 whenever the writer is idle (for the leak test). */
  long openBatches() {
    return openBatches.get();
  }

  /** Groups written so far (for tests and benchmarks). */
  long groupsCommitted() {
    return groups.get();
  }

  int nowHour() {
    return (int) Math.floorDiv(clock.millis(), 3_600_000L);
  }

  private void run() {
    List<WriteOp<?>> ops = new ArrayList<>(config.maxGroupSize());
    while (true) {
      ops.clear();
      try {
        ops.add(queue.take());
      } catch (InterruptedException e) {
        continue; // only close() stops the writer, through the poison op
      }
      queue.drainTo(ops, config.maxGroupSize() - 1);
      boolean stop = false;
      for (Iterator<WriteOp<?>> it = ops.iterator(); it.hasNext(); ) {
        if (it.next() == poison) {
          it.remove();
          stop = true;
        }
      }
      try {
        runGroup(ops);
      } catch (RuntimeException e) {
        // a bug must not kill the only writer: fail this group, forget all cached state
        MailboxException failure = errors.report("write", e);
        for (QueueState s : new ArrayList<>(cache.values())) {
          evict(s);
        }
        pending.clear();
        for (WriteOp<?> op : ops) {
          if (!op.handedOff) {
            op.future.completeExceptionally(failure);
          }
        }
      }
      if (stop) {
        return;
      }
    }
  }

  private void runGroup(List<WriteOp<?>> ops) {
    // every group owns a native WriteBatch: the finally closes the last one, commit the others
    Group g = newGroup();
    try {
      for (WriteOp<?> op : ops) {
        if (op.exclusive() && !g.ops.isEmpty()) {
          commit(g);
          g = newGroup();
        }
        g.batch.setSavePoint();
        long[] mark = g.mark();
        MailboxException failure = null;
        try {
          op.apply(this, g);
        } catch (MailboxException e) {
          failure = e;
        } catch (RocksDBException e) {
          failure = RocksEngine.failure(op.name(), e);
        } catch (RuntimeException e) {
          failure = errors.report(op.name(), e);
        }
        if (failure != null) {
          // undo the op's writes and counters; its in-memory queue state is rebuilt after commit
          g.batch.rollbackToSavePoint();
          g.reset(mark);
          op.fail(failure);
        }
        g.ops.add(op);
        if (op.exclusive()) {
          commit(g);
          g = newGroup();
        }
      }
      commit(g);
    } catch (RocksDBException e) {
      // a savepoint failed: nothing of this group is written
      failGroup(g, RocksEngine.failure("write batch", e));
    } finally {
      g.close();
    }
  }

  private Group newGroup() {
    return new Group(engine.newBatch(), openBatches);
  }

  /** Writes the group's batch and hands its ops to the completer; closes the group's batch. */
  private void commit(Group g) {
    MailboxException failure = null;
    try (g) {
      RocksEngine.Batch batch = g.batch;
      if (batch.count() > 0) {
        byte[] s = new byte[24];
        KeyCodec.putLong(s, 0, queues + g.queuesDelta);
        KeyCodec.putLong(s, 8, envelopes + g.envelopesDelta);
        KeyCodec.putLong(s, 16, envelopeBytes + g.bytesDelta);
        batch.put(Family.META, META_STATS, s);
        engine.write(batch);
        groups.incrementAndGet();
      }
    } catch (RocksDBException e) {
      failure = RocksEngine.failure("write batch", e);
    }
    if (failure != null) {
      failGroup(g, failure);
      return;
    }
    queues += g.queuesDelta;
    envelopes += g.envelopesDelta;
    envelopeBytes += g.bytesDelta;
    appendedSinceMeasure += Math.max(0, g.appendedBytes);
    if (g.deletes > 0) {
      deletesSinceShred.addAndGet(g.deletes);
    }
    if (g.queueDeletes > 0) {
      queueDeletesSinceShred.addAndGet(g.queueDeletes);
    }
    for (QueueState s : g.touched) {
      s.pendingRecord = null;
      if (s.deleted || g.failedOps) {
        evict(s);
      }
    }
    trimCache();
    publish();
    List<WriteOp<?>> done = g.ops;
    // before any future completes: a reader told of an append must find it
    for (WriteOp<?> op : done) {
      if (!op.failed()) {
        op.committed(this);
      }
    }
    done.forEach(op -> op.handedOff = true);
    handOff(
        () -> {
          for (WriteOp<?> op : done) {
            op.complete(null);
          }
        });
  }

  private void failGroup(Group g, MailboxException failure) {
    g.close();
    pending.clear();
    // in-memory state may hold uncommitted changes: forget it, the disk is the truth
    for (QueueState s : g.touched) {
      evict(s);
    }
    List<WriteOp<?>> done = g.ops;
    done.forEach(op -> op.handedOff = true);
    handOff(
        () -> {
          for (WriteOp<?> op : done) {
            op.complete(failure);
          }
        });
  }

  private void evict(QueueState s) {
    if (cache.get(s.id) == s) {
      cache.remove(s.id);
    }
    // sequence numbers never go back, even for a queue reloaded after eviction
    floorSeq = Math.max(floorSeq, s.nextSeq);
  }

  private void trimCache() {
    Iterator<QueueState> it = cache.values().iterator();
    while (cache.size() > config.activeQueueCacheSize() && it.hasNext()) {
      QueueState s = it.next();
      floorSeq = Math.max(floorSeq, s.nextSeq);
      it.remove();
    }
  }

  private void publish() {
    long disk = measuredDisk + appendedSinceMeasure;
    published = new long[] {queues, envelopes, envelopeBytes, disk};
  }

  MailboxStats publishedStats(long diskBytes) {
    long[] p = published;
    return new MailboxStats(p[0], p[1], p[2], diskBytes);
  }

  /** Whether the disk budget leaves room for {@code more} bytes (measured at most every 100 ms). */
  boolean diskRoomFor(long more) throws RocksDBException {
    if (config.diskBudgetBytes() == Long.MAX_VALUE) {
      return true;
    }
    long now = System.nanoTime();
    if (now - lastMeasureNanos >= DISK_REFRESH_NANOS) {
      measuredDisk = engine.diskBytes();
      appendedSinceMeasure = 0;
      lastMeasureNanos = now;
    }
    return measuredDisk + appendedSinceMeasure + more <= config.diskBudgetBytes();
  }

  // ---- reads on the writer thread (committed data; the group tracks its own deletions) ----

  RocksEngine engine() {
    return engine;
  }

  /** The state of an existing queue, loaded on a cache miss; NOT_FOUND if it does not exist. */
  QueueState state(QueueId q, Group g, String op) throws RocksDBException {
    QueueState s = cache.get(q);
    if (s == null) {
      byte[] plain = readRecord(q, op);
      s = new QueueState(q);
      s.lastActivityHour = RecordCodec.lastActivityHour(plain);
      RocksEngine.QueueTally tally = engine.tally(q);
      s.count = tally.count();
      s.bytes = tally.bytes();
      long tail = tally.tailSeq();
      s.nextSeq = Math.max(tail + 1, floorSeq);
      cache.put(q, s);
    } else if (s.deleted) {
      throw notFound(op);
    }
    g.touched.add(s);
    return s;
  }

  static MailboxException notFound(String op) {
    return new MailboxException(MailboxException.Code.NOT_FOUND, op + ": no such queue");
  }

  /** Decrypted record plaintext; NOT_FOUND if the queue is gone. */
  byte[] readRecord(QueueId q, String op) throws RocksDBException {
    byte[] sealed = engine.get(Family.QUEUES, KeyCodec.queueKey(q));
    if (sealed == null) {
      throw notFound(op);
    }
    byte[] storageKey = engine.get(Family.KEYS, KeyCodec.seqKey(q, 0));
    if (storageKey == null) {
      throw new MailboxException(MailboxException.Code.CORRUPT, op + ": record key missing");
    }
    byte[] plain = crypto.openRecord(storageKey, q.bytes(), sealed);
    RecordCodec.check(plain);
    return plain;
  }

  /** Current record plaintext, including changes made earlier in this group. */
  byte[] currentRecord(QueueState s, String op) throws RocksDBException {
    return s.pendingRecord != null ? s.pendingRecord : readRecord(s.id, op);
  }

  /** Rewrites the record; if the activity hour moved, moves its idle-expiry index entry too. */
  void writeRecord(QueueState s, byte[] oldPlain, byte[] newPlain, Group g)
      throws RocksDBException {
    byte[] storageKey = engine.get(Family.KEYS, KeyCodec.seqKey(s.id, 0));
    if (storageKey == null) {
      throw new MailboxException(MailboxException.Code.CORRUPT, "write queue record: key missing");
    }
    int oldHour = RecordCodec.lastActivityHour(oldPlain);
    int newHour = RecordCodec.lastActivityHour(newPlain);
    g.batch.put(
        Family.QUEUES,
        KeyCodec.queueKey(s.id),
        crypto.sealRecord(storageKey, s.id.bytes(), newPlain));
    if (oldHour != newHour) {
      g.batch.delete(
          Family.EXPIRY, KeyCodec.expiryKey(KeyCodec.EXPIRY_IDLE, oldHour + idleHours(), s.id));
      g.batch.put(
          Family.EXPIRY,
          KeyCodec.expiryKey(KeyCodec.EXPIRY_IDLE, newHour + idleHours(), s.id),
          EMPTY);
    }
    s.pendingRecord = newPlain;
    s.lastActivityHour = newHour;
    g.stateChanges++;
  }

  /** Records recipient activity (at most one record rewrite per queue and hour). */
  void touch(QueueState s, Group g, String op) throws RocksDBException {
    int now = nowHour();
    if (s.lastActivityHour < now) {
      byte[] plain = currentRecord(s, op);
      writeRecord(s, plain, RecordCodec.withLastActivity(plain, now), g);
    }
  }

  int ttlHours() {
    return (int) config.envelopeTtl().toHours();
  }

  int idleHours() {
    return (int) config.idleQueueTtl().toHours();
  }

  /**
   * Deletes every pending envelope of {@code s} whose expiry hour is at most {@code maxHour}
   * (Integer.MAX_VALUE: all of them), oldest first, stopping at the first younger one.
   */
  long deleteEnvelopes(QueueState s, int maxHour, Group g) throws RocksDBException {
    long[] n = {0};
    engine.scan(
        Family.KEYS,
        KeyCodec.seqKey(s.id, 1),
        KeyCodec.queueUpperBound(s.id),
        false,
        (key, v) -> {
          if (g.deletedInGroup(key)) {
            return true;
          }
          if (KeyCodec.expiresHourOf(v) > maxHour) {
            return false;
          }
          deleteEnvelope(s, key, KeyCodec.lengthOf(v), g);
          n[0]++;
          return true;
        });
    return n[0];
  }

  /** One SingleDelete per family: the put and the delete cancel out in flush or compaction. */
  void deleteEnvelope(QueueState s, byte[] key, int length, Group g) throws RocksDBException {
    g.batch.singleDelete(Family.MESSAGES, key);
    g.batch.singleDelete(Family.KEYS, key);
    g.markDeleted(key);
    g.stateChanges++;
    s.forget(KeyCodec.seqOf(key));
    s.count--;
    s.bytes -= length;
    g.envelopesDelta--;
    g.bytesDelta -= length;
    g.deletes++;
  }

  /** Deletes the whole queue: envelopes, record, its key, both IDs and its idle index entry. */
  long deleteQueue(QueueState s, Group g, String op) throws RocksDBException {
    byte[] plain = currentRecord(s, op);
    long n = deleteEnvelopes(s, Integer.MAX_VALUE, g);
    g.batch.singleDelete(Family.KEYS, KeyCodec.seqKey(s.id, 0));
    g.batch.delete(Family.QUEUES, KeyCodec.queueKey(s.id));
    g.batch.delete(
        Family.IDS, crypto.idIndexKey(KeyCodec.ID_RECIPIENT, RecordCodec.recipientId(plain)));
    g.batch.delete(Family.IDS, crypto.idIndexKey(KeyCodec.ID_SENDER, RecordCodec.senderId(plain)));
    g.batch.delete(
        Family.EXPIRY,
        KeyCodec.expiryKey(
            KeyCodec.EXPIRY_IDLE, RecordCodec.lastActivityHour(plain) + idleHours(), s.id));
    s.deleted = true;
    g.stateChanges++;
    g.queuesDelta--;
    g.deletes++;
    g.queueDeletes++;
    return n;
  }

  /** One group: a batch, its ops, and what the ops changed that is not committed yet. */
  static final class Group implements AutoCloseable {
    final RocksEngine.Batch batch;
    private final AtomicLong open;
    private boolean closed;
    final List<WriteOp<?>> ops = new ArrayList<>();
    final Set<QueueState> touched = new HashSet<>();
    private final Set<ByteBuffer> deleted = new HashSet<>();
    private final List<ByteBuffer> deletedLog = new ArrayList<>();
    final Set<ByteBuffer> newIds = new HashSet<>();
    long queuesDelta;
    long envelopesDelta;
    long bytesDelta;
    long appendedBytes;
    long deletes;
    long queueDeletes;

    /** An op failed after changing queue state: rebuild every touched state after commit. */
    boolean failedOps;

    /** Count of in-memory queue state changes, to tell whether a failed op made any. */
    long stateChanges;

    Group(RocksEngine.Batch batch, AtomicLong open) {
      this.batch = batch;
      this.open = open;
      open.incrementAndGet();
    }

    /** Releases the native batch; idempotent. */
    @Override
    public void close() {
      if (!closed) {
        closed = true;
        batch.close();
        open.decrementAndGet();
      }
    }

    void markDeleted(byte[] key) {
      ByteBuffer b = ByteBuffer.wrap(key);
      if (deleted.add(b)) {
        deletedLog.add(b);
      }
    }

    long[] mark() {
      return new long[] {
        queuesDelta,
        envelopesDelta,
        bytesDelta,
        appendedBytes,
        deletes,
        queueDeletes,
        deletedLog.size(),
        stateChanges
      };
    }

    void reset(long[] m) {
      queuesDelta = m[0];
      envelopesDelta = m[1];
      bytesDelta = m[2];
      appendedBytes = m[3];
      deletes = m[4];
      queueDeletes = m[5];
      while (deletedLog.size() > m[6]) {
        deleted.remove(deletedLog.remove(deletedLog.size() - 1));
      }
      failedOps |= stateChanges != m[7];
    }

    boolean deletedInGroup(byte[] key) {
      return !deleted.isEmpty() && deleted.contains(ByteBuffer.wrap(key));
    }
  }

  private static final class Poison extends WriteOp<Void> {
    @Override
    void apply(GroupCommitWriter w, Group g) {}

    @Override
    String name() {
      return "close";
    }
  }
}
