package org.sealpost.relay.transport;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The process-wide bound on bytes buffered in connections: every block accepted for sending holds
 * its B bytes here until it is written to the socket or its connection is cut. Each connection is
 * bounded by {@code connection.max-outbound-blocks}, but many connections that stop reading would
 * add up without limit; this caps the sum.
 *
 * <p>Above the high mark the budget is under pressure: listeners (one per listener verticle) pause
 * reading on every connection and cut the worst offenders; below the low mark the pressure ends. A
 * reservation that would pass the limit itself is refused. Thread-safe: connections of every event
 * loop share one budget.
 */
public final class BufferBudget {
  private final long limit;
  private final long highMark;
  private final long lowMark;
  // Written under the lock: the pressure changes together with the sum it is decided from. With
  // separate atomics, a reservation that crossed the high mark could raise the pressure after a
  // release had brought the sum below the low mark, and the pressure stayed on with nothing left
  // to cut or release (reading paused everywhere, for good). Volatile for the readers.
  private volatile long used;
  private volatile long peak;
  private volatile boolean pressure;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  /**
   * @param limitBytes the most bytes ever held at once
   */
  public BufferBudget(long limitBytes) {
    if (limitBytes <= 0) {
      throw new IllegalArgumentException("the buffer budget must be positive");
    }
    this.limit = limitBytes;
    // pause early enough that replies to commands already read still fit
    this.highMark = limitBytes - limitBytes / 8;
    this.lowMark = limitBytes / 2;
  }

  /**
   * Adds a listener run (on the caller's thread, so it must hop to its own context) whenever the
   * pressure may have changed; it reads {@link #underPressure()} for the current state.
   */
  public void onPressureChange(Runnable listener) {
    listeners.add(listener);
  }

  /** Holds {@code bytes}; false, holding nothing, if that would pass the limit. */
  boolean tryReserve(long bytes) {
    boolean fits;
    boolean raised;
    synchronized (this) {
      fits = used + bytes <= limit;
      if (fits) {
        used += bytes;
        peak = Math.max(peak, used);
      }
      raised = (!fits || used >= highMark) && !pressure;
      if (raised) {
        pressure = true;
      }
    }
    if (raised) {
      notifyListeners();
    }
    return fits;
  }

  /** Gives back bytes held by {@link #tryReserve}. */
  void release(long bytes) {
    if (bytes == 0) {
      return;
    }
    boolean ended;
    synchronized (this) {
      used -= bytes;
      ended = used <= lowMark && pressure;
      if (ended) {
        pressure = false;
      }
    }
    if (ended) {
      notifyListeners();
    }
  }

  // outside the lock: the listeners read the state when they run, so late ones read the latest
  private void notifyListeners() {
    for (Runnable l : listeners) {
      l.run();
    }
  }

  /** Whether reading should pause everywhere and offenders be cut. */
  public boolean underPressure() {
    return pressure;
  }

  /** Whether cutting connections is still needed to end the pressure. */
  boolean aboveLowMark() {
    return used > lowMark;
  }

  /** The limit in bytes. */
  public long limit() {
    return limit;
  }

  /** Bytes held now. */
  public long used() {
    return used;
  }

  /** The most bytes ever held at once. */
  public long peak() {
    return peak;
  }
}
