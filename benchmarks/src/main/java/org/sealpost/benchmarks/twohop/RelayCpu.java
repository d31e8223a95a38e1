package org.sealpost.benchmarks.twohop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.sealpost.benchmarks.load.ProcFs;
import org.sealpost.benchmarks.load.ResourceSampler;

/**
 * CPU seconds of the first relay and of the destination during each phase, from their {@code
 * /proc/<pid>/stat} (utime + stime; a relay forks nothing) read when the phase begins and ends.
 */
final class RelayCpu implements ResourceSampler.PhaseHook {
  /** CPU seconds of each relay in one phase. */
  record Split(double firstSeconds, double destinationSeconds) {}

  private final int firstPid;
  private final int destinationPid;
  private final double ticksPerSecond;
  private final List<Split> phases = new ArrayList<>();
  private long firstAtStart;
  private long destinationAtStart;

  RelayCpu(int firstPid, int destinationPid, double ticksPerSecond) {
    this.firstPid = firstPid;
    this.destinationPid = destinationPid;
    this.ticksPerSecond = ticksPerSecond;
  }

  @Override
  public synchronized void begun() {
    firstAtStart = ticks(firstPid);
    destinationAtStart = ticks(destinationPid);
  }

  @Override
  public synchronized void ended() {
    phases.add(
        new Split(
            (ticks(firstPid) - firstAtStart) / ticksPerSecond,
            (ticks(destinationPid) - destinationAtStart) / ticksPerSecond));
  }

  /** One split per phase that ended, in order. */
  synchronized List<Split> phases() {
    return List.copyOf(phases);
  }

  private static long ticks(int pid) {
    try {
      return ProcFs.parseStat(Files.readString(Path.of("/proc", Integer.toString(pid), "stat")))
          .totalTicks();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
