package org.sealpost.benchmarks.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Samples the peer's process tree, this JVM and the disks once per interval while a workload phase
 * runs, and the phase's progress counter for the throughput-over-time plot.
 */
public final class ResourceSampler implements AutoCloseable {
  private final ProcFs proc;
  private final List<Integer> roots;
  private final double ticksPerSecond;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "resource-sampler");
            t.setDaemon(true);
            return t;
          });
  private final Object lock = new Object();
  private Phase current;
  // issue 11: observers of phase boundaries (the two-hop benchmark splits CPU between relays)
  private final List<PhaseHook> hooks = new CopyOnWriteArrayList<>();

  /** Told when a phase begins and ends, on the thread that calls {@link #begin} / {@link #end}. */
  public interface PhaseHook {
    void begun();

    void ended();
  }

  /** Adds a hook called at every later {@link #begin} and {@link #end}. */
  public void addPhaseHook(PhaseHook hook) {
    hooks.add(hook);
  }

  /**
   * @param roots pids of the peer's daemons (their descendants are found on every sample); empty
   *     when the system under test runs inside this JVM
   * @param ticksPerSecond clock ticks per second of {@code /proc/<pid>/stat} (CLK_TCK)
   */
  public ResourceSampler(ProcFs proc, List<Integer> roots, double ticksPerSecond, long intervalMs) {
    this.proc = proc;
    this.roots = List.copyOf(roots);
    this.ticksPerSecond = ticksPerSecond;
    timer.scheduleAtFixedRate(this::tick, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
  }

  /** Starts measuring a phase whose progress (messages so far) is read from {@code progress}. */
  public void begin(LongSupplier progress) {
    hooks.forEach(PhaseHook::begun);
    Snapshot start = snapshot();
    synchronized (lock) {
      current = new Phase(progress, start, System.nanoTime());
      current.series.add(new double[] {0, 0});
    }
  }

  /** Ends the phase started by {@link #begin} and returns what it used. */
  public Usage end() {
    Snapshot end = snapshot();
    hooks.forEach(PhaseHook::ended);
    Phase p;
    synchronized (lock) {
      p = current;
      current = null;
    }
    if (p == null) {
      throw new IllegalStateException("end() without begin()");
    }
    long peakRss = Math.max(p.peakRss, end.peer.rssBytes());
    long peakPss = Math.max(p.peakPss, end.peer.pssBytes());
    return new Usage(
        (end.peer.cpuTicks() - p.start.peer.cpuTicks()) / ticksPerSecond,
        peakRss,
        peakPss,
        Math.max(0, end.peer.writeBytes() - p.start.peer.writeBytes()),
        Math.max(0, end.peer.cancelledWriteBytes() - p.start.peer.cancelledWriteBytes()),
        end.disk < 0 || p.start.disk < 0 ? -1 : end.disk - p.start.disk,
        (end.self.cpuTicks() - p.start.self.cpuTicks()) / ticksPerSecond,
        end.self.rssBytes(),
        List.copyOf(p.series));
  }

  private void tick() {
    Phase p;
    synchronized (lock) {
      p = current;
    }
    if (p == null) {
      return;
    }
    ProcSample peer = peerSample();
    double t = (System.nanoTime() - p.startNanos) / 1e9;
    long done = p.progress.getAsLong();
    synchronized (lock) {
      p.peakRss = Math.max(p.peakRss, peer.rssBytes());
      p.peakPss = Math.max(p.peakPss, peer.pssBytes());
      double[] last = p.series.get(p.series.size() - 1);
      double rate = t > last[0] ? (done - p.lastDone) / (t - last[0]) : 0;
      p.series.add(new double[] {t, rate});
      p.lastDone = done;
    }
  }

  private Snapshot snapshot() {
    return new Snapshot(peerSample(), proc.self(), proc.diskWrittenBytes());
  }

  private ProcSample peerSample() {
    if (roots.isEmpty()) {
      return new ProcSample(0, 0, 0, 0, 0, 0);
    }
    try {
      Set<Integer> pids = proc.tree(roots);
      return proc.sample(pids);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }

  private record Snapshot(ProcSample peer, ProcSample self, long disk) {}

  private static final class Phase {
    final java.util.function.LongSupplier progress;
    final Snapshot start;
    final long startNanos;
    final List<double[]> series = new ArrayList<>();
    long peakRss;
    long peakPss;
    long lastDone;

    Phase(LongSupplier progress, Snapshot start, long startNanos) {
      this.progress = progress;
      this.start = start;
      this.startNanos = startNanos;
      this.peakRss = start.peer.rssBytes();
      this.peakPss = start.peer.pssBytes();
    }
  }

  /**
   * Resources used during one phase.
   *
   * @param peerCpuSeconds CPU of the peer's processes (user + system, children included)
   * @param peerPeakRssBytes highest summed RSS seen
   * @param peerPeakPssBytes highest summed PSS seen
   * @param peerWriteBytes {@code write_bytes} of the peer's processes
   * @param peerCancelledWriteBytes {@code cancelled_write_bytes} of the peer's processes
   * @param diskWrittenBytes bytes written to the machine's disks by anyone (journal included), -1
   *     if unknown
   * @param loadGeneratorCpuSeconds CPU of this JVM
   * @param loadGeneratorRssBytes RSS of this JVM at the end
   * @param throughput {@code [seconds since start, messages/s over the last interval]} points
   */
  public record Usage(
      double peerCpuSeconds,
      long peerPeakRssBytes,
      long peerPeakPssBytes,
      long peerWriteBytes,
      long peerCancelledWriteBytes,
      long diskWrittenBytes,
      double loadGeneratorCpuSeconds,
      long loadGeneratorRssBytes,
      List<double[]> throughput) {}
}
