package org.sealpost.lab.operator;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What a curious operator writes down (the lab's model of one, never the shipped relay): one line
 * per event, {@code <epoch micros> <kind> <connection> <id hex>}. Callers on event loops only
 * enqueue; a daemon thread appends to the file every 100 ms, so no event loop ever blocks on I/O.
 */
public final class OperatorLog implements AutoCloseable {
  /** Event kinds; see {@code docs/leakage-lab.md}. */
  public enum Kind {
    /** A connection created a queue: id = recipient ID, extra = sender ID. */
    CREATE,
    /** A connection authorized a recipient command (Subscribe, Get, ...): id = recipient ID. */
    AUTHORIZE,
    /** A connection sent to a queue: id = sender ID. */
    SEND,
    /** The relay read pending envelopes of a queue to push them: id = recipient ID. */
    PUSH,
    /** A connection was accepted (id = "-") or closed (id = close reason). */
    OPEN,
    CLOSE
  }

  private final ConcurrentLinkedQueue<String> pending = new ConcurrentLinkedQueue<>();
  private final BufferedWriter out;
  private final ScheduledExecutorService flusher;

  public OperatorLog(Path file) {
    try {
      this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.flusher =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "lab-operator-log");
              t.setDaemon(true);
              return t;
            });
    flusher.scheduleWithFixedDelay(this::drain, 100, 100, TimeUnit.MILLISECONDS);
  }

  /** Microseconds since the epoch: the lab's processes share this clock. */
  public static long nowMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }

  public void record(Kind kind, long connection, String id, String extra) {
    pending.add(nowMicros() + "\t" + kind + "\t" + connection + "\t" + id + "\t" + extra);
  }

  private synchronized void drain() {
    try {
      String line;
      while ((line = pending.poll()) != null) {
        out.write(line);
        out.newLine();
      }
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    flusher.shutdown();
    try {
      flusher.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    drain();
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
