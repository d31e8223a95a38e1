package org.sealpost.mailbox.rocksdb;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import org.rocksdb.RocksDBException;
import org.sealpost.mailbox.MailboxConfig;
import org.sealpost.mailbox.MailboxException;
import org.sealpost.mailbox.rocksdb.RocksEngine.Family;

/**
 * The single writer thread: batching and durability. Submitted ops wait in a bounded queue (full:
 * {@code OVERLOAD}); the thread takes every op waiting (up to {@code maxGroupSize}), applies them
 * to one {@link RocksEngine.Batch}, writes it with one WAL write (synced under {@code
 * SyncPolicy.ALWAYS}) and only then hands the ops to the {@link Completer}, which completes their
 * futures in submission order.
 *
 * <p>What the ops do to queues is in {@link QueueMutations}; the aggregate counters are in {@link
 * StoreTotals}. Both are used only on this thread, so no locks are needed.
 */
final class GroupCommitWriter {
  private final RocksEngine engine;
  private final InternalErrors errors;
  private final MailboxConfig config;
  private final QueueMutations mutations;
  private final StoreTotals totals;
  private final BlockingQueue<WriteOp<?>> queue;
  private final Thread thread;
  private final Completer completer;
  private final WriteOp<Void> poison = new Poison();
  private volatile boolean closing;
  private final AtomicLong groups = new AtomicLong();

  /** Native write batches not yet closed (one per group in the making): 0 when idle. */
  private final AtomicLong openBatches = new AtomicLong();

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
    this.config = config;
    this.mutations = new QueueMutations(engine, crypto, config, clock, epoch);
    this.totals = new StoreTotals(engine, config, stats);
    this.pending = new PendingCache(config.pendingCacheBytes());
    this.queue = new ArrayBlockingQueue<>(config.submissionQueueCapacity());
    this.thread = threads.newThread(this::run);
    this.completer = new Completer(Math.max(16, config.submissionQueueCapacity() / 8), threads);
  }

  void start() {
    completer.start();
    thread.start();
  }

  /** True on the threads that complete futures (where close() would wait for itself). */
  boolean isOwnThread(Thread t) {
    return t == thread || completer.isOwnThread(t);
  }

  /** The queue mutations ops are made of; only on the writer thread. */
  QueueMutations mutations() {
    return mutations;
  }

  /** The aggregate counters. */
  StoreTotals totals() {
    return totals;
  }

  /** Queues {@code op}; a full queue or a closed store fails it at once. */
  <T> CompletableFuture<T> submit(WriteOp<T> op) {
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
    interrupted |= completer.stop();
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
        mutations.forgetAll();
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

  // issue 12: commit latency for metrics
  private volatile java.util.function.LongConsumer commitObserver = nanos -> {};

  /** Told the duration of every synced batch write (WAL write and fsync), on the writer thread. */
  void observeCommits(java.util.function.LongConsumer observer) {
    commitObserver = observer;
  }

  private Group newGroup() {
    return new Group(engine.newBatch(), openBatches);
  }

  /** Writes the group's batch and hands its ops to the completer; closes the group's batch. */
  private void commit(Group g) {
    MailboxException failure = null;
    try (g) {
      if (g.batch.count() > 0) {
        g.batch.put(Family.META, StoreTotals.META_STATS, totals.encodeWith(g));
        long started = System.nanoTime();
        engine.write(g.batch);
        commitObserver.accept(System.nanoTime() - started); // issue 12: commit latency
        groups.incrementAndGet();
      }
    } catch (RocksDBException e) {
      failure = RocksEngine.failure("write batch", e);
    }
    if (failure != null) {
      failGroup(g, failure);
      return;
    }
    totals.committed(g);
    mutations.committed(g);
    List<WriteOp<?>> done = g.ops;
    // before any future completes: a reader told of an append must find it
    for (WriteOp<?> op : done) {
      if (!op.failed()) {
        op.committed(this);
      }
    }
    done.forEach(op -> op.handedOff = true);
    completer.handOff(
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
    mutations.forget(g.touched);
    List<WriteOp<?>> done = g.ops;
    done.forEach(op -> op.handedOff = true);
    completer.handOff(
        () -> {
          for (WriteOp<?> op : done) {
            op.complete(failure);
          }
        });
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
