package org.sealpost.benchmarks.load;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Waits for a phase while showing a progress bar on the terminal. */
public final class Progress {
  private final boolean enabled;

  public Progress(boolean enabled) {
    this.enabled = enabled;
  }

  /**
   * Blocks until {@code done} is true or {@code timeout} passed, updating a bar of {@code max}
   * steps from {@code value}; returns whether {@code done} became true.
   */
  public boolean await(
      String task, long max, LongSupplier value, BooleanSupplier done, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    ProgressBar bar =
        enabled
            ? new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(Math.max(1, max))
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(500)
                .continuousUpdate()
                .build()
            : null;
    try {
      Object monitor = new Object();
      while (!done.getAsBoolean()) {
        if (System.nanoTime() > deadline) {
          return false;
        }
        if (bar != null) {
          bar.stepTo(Math.min(max, value.getAsLong()));
        }
        synchronized (monitor) {
          monitor.wait(100);
        }
      }
      if (bar != null) {
        bar.stepTo(Math.min(max, value.getAsLong()));
      }
      return true;
    } finally {
      if (bar != null) {
        bar.close();
      }
    }
  }
}
