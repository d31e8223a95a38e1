package org.sealpost.mailbox.rocksdb;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.rocksdb.RocksDBException;
import org.sealpost.mailbox.MailboxException;
import org.sealpost.mailbox.rocksdb.RocksEngine.Family;

/**
 * Makes deleted storage keys leave the data directory's files: every run that follows deletions
 * flushes every column family (so old WALs are deleted) and compacts {@code keys} (and {@code ids}
 * after queue deletions) to the bottom level. Runs on the maintenance scheduler.
 */
final class Shredder {
  private static final System.Logger LOG = System.getLogger(Shredder.class.getName());

  private final RocksEngine engine;
  private final StoreTotals totals;
  private final StoreGate gate;
  private final InternalErrors errors;
  private final ConcurrentLinkedQueue<CompletableFuture<Void>> shredWaiters =
      new ConcurrentLinkedQueue<>();

  Shredder(RocksEngine engine, StoreTotals totals, StoreGate gate, InternalErrors errors) {
    this.engine = engine;
    this.totals = totals;
    this.gate = gate;
    this.errors = errors;
  }

  /**
   * Completes at the end of the next shred run that starts after this call (flush of every family,
   * so old WALs are deleted, then a full compaction of the {@code keys} family). For tests and
   * operators; the schedule does not depend on it.
   */
  CompletionStage<Void> nextShredCompletion() {
    CompletableFuture<Void> f = new CompletableFuture<>();
    if (gate.isClosed()) {
      f.completeExceptionally(StoreGate.closedError("shred"));
      return f;
    }
    shredWaiters.add(f);
    return f;
  }

  /** One run: if anything was deleted (or someone waits), flush everything, compact the keys. */
  void run() {
    List<CompletableFuture<Void>> waiters = new ArrayList<>();
    CompletableFuture<Void> w;
    while ((w = shredWaiters.poll()) != null) {
      waiters.add(w);
    }
    if (!gate.enter()) {
      waiters.forEach(f -> f.completeExceptionally(StoreGate.closedError("shred")));
      return;
    }
    long deletes = totals.deletesSinceShred.getAndSet(0);
    long queueDeletes = totals.queueDeletesSinceShred.getAndSet(0);
    try {
      if (deletes > 0 || queueDeletes > 0 || !waiters.isEmpty()) {
        engine.flushAll();
        engine.compactAll(Family.KEYS);
        if (queueDeletes > 0) {
          engine.compactAll(Family.IDS);
        }
      }
      waiters.forEach(f -> f.complete(null));
    } catch (RocksDBException ex) {
      totals.deletesSinceShred.addAndGet(deletes);
      totals.queueDeletesSinceShred.addAndGet(queueDeletes);
      MailboxException m = RocksEngine.failure("shred", ex);
      LOG.log(System.Logger.Level.WARNING, "mailbox shred failed: {0}", m.code());
      waiters.forEach(f -> f.completeExceptionally(m));
    } catch (RuntimeException ex) {
      // caught: an exception escaping a scheduled task would cancel every later shred run
      totals.deletesSinceShred.addAndGet(deletes);
      totals.queueDeletesSinceShred.addAndGet(queueDeletes);
      MailboxException m = errors.report("shred", ex);
      waiters.forEach(f -> f.completeExceptionally(m));
    } finally {
      gate.exit();
    }
  }

  /** Fails whoever still waits for a run (the store closed). */
  void closed() {
    CompletableFuture<Void> w;
    while ((w = shredWaiters.poll()) != null) {
      w.completeExceptionally(StoreGate.closedError("shred"));
    }
  }
}
