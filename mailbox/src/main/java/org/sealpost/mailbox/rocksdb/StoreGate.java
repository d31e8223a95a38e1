package org.sealpost.mailbox.rocksdb;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.sealpost.mailbox.MailboxException;

/**
 * Lets reads and maintenance runs use the engine while the store is open, and lets {@code close()}
 * wait for the running ones before the engine's native objects are released.
 */
final class StoreGate {
  private final ReentrantReadWriteLock guard = new ReentrantReadWriteLock();
  private final AtomicBoolean closed = new AtomicBoolean();

  boolean isClosed() {
    return closed.get();
  }

  /** Marks the store closed; true only for the first call. */
  boolean markClosed() {
    return closed.compareAndSet(false, true);
  }

  /** Enters for one task; false if the store is closed (or closing). Pair with {@link #exit()}. */
  boolean enter() {
    if (!guard.readLock().tryLock()) {
      return false;
    }
    if (closed.get()) {
      guard.readLock().unlock();
      return false;
    }
    return true;
  }

  void exit() {
    guard.readLock().unlock();
  }

  /** Waits until no task is inside, then runs {@code release} with none let in. */
  void drainAndRun(Runnable release) {
    guard.writeLock().lock();
    try {
      release.run();
    } finally {
      guard.writeLock().unlock();
    }
  }

  static MailboxException closedError(String op) {
    return new MailboxException(MailboxException.Code.CLOSED, op + ": store closed");
  }

  static <T> CompletableFuture<T> closedFuture(String op) {
    return CompletableFuture.failedFuture(closedError(op));
  }
}
