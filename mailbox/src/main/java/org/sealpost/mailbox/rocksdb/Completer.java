package org.sealpost.mailbox.rocksdb;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadFactory;

/**
 * The thread that completes each durable group's futures, in order, so the writer can start the
 * next group at once (completing ~40 futures, each waking a waiting thread, took about a quarter of
 * a writer cycle). Bounded: a slow completer holds the writer back instead of queueing without
 * limit.
 */
final class Completer {
  private static final Runnable STOP = () -> {};

  private final BlockingQueue<Runnable> completions;
  private final Thread thread;

  Completer(int capacity, ThreadFactory threads) {
    this.completions = new ArrayBlockingQueue<>(capacity);
    this.thread = threads.newThread(this::run);
  }

  void start() {
    thread.start();
  }

  boolean isOwnThread(Thread t) {
    return t == thread;
  }

  private void run() {
    while (true) {
      Runnable r;
      try {
        r = completions.take();
      } catch (InterruptedException e) {
        continue; // only stop() ends the completer
      }
      if (r == STOP) {
        return;
      }
      r.run();
    }
  }

  /** Queues a completion; waits while the completer is behind. */
  void handOff(Runnable r) {
    while (true) {
      try {
        completions.put(r);
        return;
      } catch (InterruptedException e) {
        // the writer is never interrupted on purpose; keep the completion
      }
    }
  }

  /** Runs every completion handed off so far, then ends the thread; returns if interrupted. */
  boolean stop() {
    handOff(STOP);
    boolean interrupted = false;
    while (true) {
      try {
        thread.join();
        return interrupted;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
  }
}
