package org.sealpost.mailbox.rocksdb;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.sealpost.mailbox.MailboxConfig;

/**
 * The store's executors: the read pool and the maintenance scheduler, each either injected or made
 * (and then owned and shut down) here. All threads are daemons named after their job.
 */
final class StoreThreads {
  private final Executor readExecutor;
  private final ExecutorService ownedReadPool;
  private final ScheduledExecutorService scheduler;
  private final boolean ownsScheduler;

  /**
   * @param readExecutor an injected read executor, or null for a bounded pool of our own
   * @param scheduler an injected scheduler, or null for one maintenance thread of our own
   */
  StoreThreads(MailboxConfig config, Executor readExecutor, ScheduledExecutorService scheduler) {
    if (readExecutor == null) {
      ownedReadPool =
          new ThreadPoolExecutor(
              config.readThreads(),
              config.readThreads(),
              0,
              TimeUnit.SECONDS,
              new ArrayBlockingQueue<>(config.readQueueCapacity()),
              daemons("sealpost-mailbox-read-"));
      this.readExecutor = ownedReadPool;
    } else {
      ownedReadPool = null;
      this.readExecutor = readExecutor;
    }
    ownsScheduler = scheduler == null;
    if (ownsScheduler) {
      ScheduledThreadPoolExecutor s =
          new ScheduledThreadPoolExecutor(1, daemons("sealpost-mailbox-maintenance-"));
      s.setRemoveOnCancelPolicy(true);
      this.scheduler = s;
    } else {
      this.scheduler = scheduler;
    }
  }

  static ThreadFactory daemons(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  Executor readExecutor() {
    return readExecutor;
  }

  ScheduledExecutorService scheduler() {
    return scheduler;
  }

  /** Stops taking maintenance tasks (an injected scheduler is left alone). */
  void stopScheduling() {
    if (ownsScheduler) {
      scheduler.shutdown();
    }
  }

  /** Lets our own pools finish what they run; after a failed open, stops them at once. */
  void shutdown(boolean now) {
    if (ownedReadPool != null) {
      if (now) {
        ownedReadPool.shutdownNow();
      } else {
        ownedReadPool.shutdown();
        awaitQuietly(ownedReadPool);
      }
    }
    if (ownsScheduler) {
      if (now) {
        scheduler.shutdownNow();
      } else {
        awaitQuietly(scheduler);
      }
    }
  }

  private static void awaitQuietly(ExecutorService e) {
    try {
      if (!e.awaitTermination(30, TimeUnit.SECONDS)) {
        e.shutdownNow();
      }
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
    }
  }
}
