package org.sealpost.benchmarks.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * W1 online delivery: R recipients connected and subscribed, S sender connections, messages of a
 * fixed content size round-robin over the recipients.
 *
 * <p>Closed loop: each sender keeps at most {@code window} messages in flight, a message leaving
 * the window when it is <em>delivered</em> (not merely accepted), so the figure is delivered
 * throughput and no backlog can build up inside the peer. Open loop: messages are scheduled at a
 * fixed rate (a fraction of the closed-loop peak) whatever the peer does; latency is measured from
 * the scheduled time (see {@link LatencyRecorder}).
 */
public final class OnlineDelivery {

  /**
   * @param recipients R
   * @param senders S
   * @param window messages in flight per sender in the closed loop
   * @param contentBytes content size per message
   * @param closedDuration how long senders send in the closed loop
   * @param openFraction open-loop rate as a fraction of the closed-loop peak
   * @param fixedOpenRate open-loop rate in messages per second whatever the closed loop reached, so
   *     that runs of two builds or two load generators meet the same offered load (the fraction of
   *     peak moves with the peak); zero to use {@code openFraction}
   * @param openDuration how long the open-loop schedule runs
   * @param drainTimeout how long to wait for outstanding deliveries after sending stops
   * @param maxMessages upper bound on messages per phase
   * @param warmup closed-loop run before the measured phases, not reported: lets a JVM peer's JIT
   *     compile its hot paths (a relay runs for days; its first seconds are not its cost), and
   *     brings every peer's caches and files to a steady state; zero to skip
   */
  public record Params(
      int recipients,
      int senders,
      int window,
      int contentBytes,
      Duration closedDuration,
      double openFraction,
      double fixedOpenRate,
      Duration openDuration,
      Duration drainTimeout,
      int maxMessages,
      Duration warmup) {

    public Params {
      if (fixedOpenRate < 0 || Double.isNaN(fixedOpenRate)) {
        throw new IllegalArgumentException("open-loop rate must be positive, or zero for none");
      }
    }

    /** The open loop's rate, given the closed loop's delivered messages per second. */
    public double openLoopRate(double closedPeak) {
      return fixedOpenRate > 0 ? fixedOpenRate : Math.max(1, closedPeak * openFraction);
    }
  }

  /**
   * Both phases of one W1 run.
   *
   * @param openTimeline each open-loop message's scheduled, sent, accepted and delivered time
   */
  public record Result(
      Params params, PhaseResult closedLoop, PhaseResult openLoop, Timeline openTimeline) {}

  /**
   * Called when a measured phase starts and after it drained (issue 13: counters of the peer are
   * read around the measured phases only); {@code phase} is {@code closed-loop} or {@code
   * open-loop}.
   */
  public interface PhaseMarks {
    void mark(String phase, boolean start);

    PhaseMarks NONE = (phase, start) -> {};
  }

  private final Params params;
  private final Progress progress;
  private final PhaseMarks marks;
  private final Duration openLeadIn;
  private volatile PhaseState current;

  public OnlineDelivery(Params params, Progress progress) {
    this(params, progress, PhaseMarks.NONE, Duration.ZERO);
  }

  /**
   * @param openLeadIn an unreported run of the open-loop schedule, at its rate, just before the
   *     measured one (issue 13): the closed loop never takes the open loop's paths (acceptance
   *     permits, the timeline), so the JITs of the load generator and the peer deoptimise and
   *     recompile in the open loop's first second, which the measured tail then counted; zero to
   *     skip (the default of the comparison: one run with 2 s still had its episode at the start,
   *     docs/benchmarks.md)
   */
  public OnlineDelivery(Params params, Progress progress, PhaseMarks marks, Duration openLeadIn) {
    this.params = params;
    this.progress = progress;
    this.marks = marks;
    this.openLeadIn = openLeadIn;
  }

  public Result run(PeerDriver driver, ResourceSampler sampler) throws Exception {
    List<RecipientSession> sessions = new ArrayList<>();
    List<PeerSender> senders = new ArrayList<>();
    try {
      DeliveryListener listener =
          (recipient, content) -> {
            PhaseState st = current;
            if (st != null) {
              st.onDelivery(content, System.nanoTime());
            }
          };
      // at most S × window messages are unconfirmed at once in the closed loop (the open loop
      // bounds acceptance only, so a driver must cope with more, at a cost it reports)
      int inFlight = params.senders() * params.window();
      driver.prepareMessages(
          params.recipients(), (inFlight + params.recipients() - 1) / params.recipients() + 2);
      for (int r = 0; r < params.recipients(); r++) {
        sessions.add(driver.openRecipient(r, listener));
      }
      for (int s = 0; s < params.senders(); s++) {
        senders.add(driver.openSender(s));
      }
      if (!params.warmup().isZero()) {
        closedLoop("W1 warm-up", senders, sampler, params.warmup());
      }
      marks.mark("closed-loop", true);
      PhaseResult closed = closedLoop("W1 closed loop", senders, sampler, params.closedDuration());
      marks.mark("closed-loop", false);
      double rate = params.openLoopRate(closed.messagesPerSecond());
      if (!openLeadIn.isZero()) {
        long lead =
            Math.min(params.maxMessages(), (long) Math.ceil(rate * openLeadIn.toMillis() / 1e3));
        openLoop("W1 open-loop lead-in", senders, sampler, rate, lead, new Timeline((int) lead));
      }
      long total =
          Math.min(params.maxMessages(), (long) (rate * params.openDuration().toSeconds()));
      Timeline timeline = new Timeline((int) total);
      marks.mark("open-loop", true);
      PhaseResult open = openLoop("W1 open loop", senders, sampler, rate, total, timeline);
      marks.mark("open-loop", false);
      return new Result(params, closed, open, timeline);
    } finally {
      current = null;
      for (PeerSender s : senders) {
        closeQuietly(s);
      }
      for (RecipientSession s : sessions) {
        closeQuietly(s);
      }
    }
  }

  private PhaseResult closedLoop(
      String task, List<PeerSender> senders, ResourceSampler sampler, Duration duration)
      throws Exception {
    int n = senders.size();
    Semaphore[] windows = new Semaphore[n];
    for (int s = 0; s < n; s++) {
      windows[s] = new Semaphore(params.window());
    }
    long start = System.nanoTime();
    PhaseState st = new PhaseState(params.maxMessages(), windows, n, start, null);
    current = st;
    sampler.begin(st.tracker::delivered);
    long deadline = start + duration.toNanos();
    List<Thread> threads = new ArrayList<>();
    for (int s = 0; s < n; s++) {
      int sender = s;
      threads.add(
          thread(
              "w1-closed-" + s,
              () -> {
                for (int index = sender; index < params.maxMessages(); index += n) {
                  if (!acquireUntil(windows[sender], deadline)) {
                    return;
                  }
                  long now = System.nanoTime();
                  byte[] content = Payload.create(params.contentBytes(), now, now, index);
                  st.send(senders.get(sender), index % params.recipients(), content, null);
                }
              }));
    }
    joinAll(threads);
    boolean complete = awaitDrain(task, st, params.drainTimeout());
    ResourceSampler.Usage usage = sampler.end();
    current = null;
    return st.result("closed-loop", 0, start, usage, complete);
  }

  private PhaseResult openLoop(
      String task,
      List<PeerSender> senders,
      ResourceSampler sampler,
      double rate,
      long total,
      Timeline timeline)
      throws Exception {
    int n = senders.size();
    // The window here only protects drivers from unbounded queues; it is released on acceptance,
    // and any wait on it is charged to the peer by measuring from the scheduled time.
    Semaphore[] accepts = new Semaphore[n];
    for (int s = 0; s < n; s++) {
      accepts[s] = new Semaphore(params.window());
    }
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
    PhaseState st = new PhaseState((int) total, null, n, start, timeline);
    current = st;
    sampler.begin(st.tracker::delivered);
    double intervalNanos = 1e9 / rate;
    List<Thread> threads = new ArrayList<>();
    for (int s = 0; s < n; s++) {
      int sender = s;
      threads.add(
          thread(
              "w1-open-" + s,
              () -> {
                for (int index = sender; index < total; index += n) {
                  long intended = start + (long) (index * intervalNanos);
                  long wait;
                  while ((wait = intended - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                  }
                  accepts[sender].acquireUninterruptibly();
                  byte[] content =
                      Payload.create(params.contentBytes(), intended, System.nanoTime(), index);
                  st.send(
                      senders.get(sender), index % params.recipients(), content, accepts[sender]);
                }
              }));
    }
    joinAll(threads);
    boolean complete = awaitDrain(task, st, params.drainTimeout());
    ResourceSampler.Usage usage = sampler.end();
    current = null;
    return st.result("open-loop", rate, start, usage, complete);
  }

  private boolean awaitDrain(String task, PhaseState st, Duration timeout)
      throws InterruptedException {
    return progress.await(
        task + " (draining)",
        st.sent.get(),
        st.tracker::delivered,
        () -> st.pendingSends.get() == 0 && st.tracker.delivered() >= st.accepted.get(),
        timeout);
  }

  private static boolean acquireUntil(Semaphore s, long deadlineNanos) {
    try {
      while (true) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        if (s.tryAcquire(
            Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)), TimeUnit.NANOSECONDS)) {
          return true;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  static Thread thread(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    return t;
  }

  static void joinAll(List<Thread> threads) throws InterruptedException {
    for (Thread t : threads) {
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
  }

  static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // closing after the measurement; a failure here cannot change the figures
    }
  }

  /** Counters of one phase; deliveries release closed-loop window permits. */
  static final class PhaseState {
    final DeliveryTracker tracker;
    final LatencyRecorder latency = new LatencyRecorder();
    final Semaphore[] windows;
    final int senders;
    final AtomicLong sent = new AtomicLong();
    final AtomicLong accepted = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
    final AtomicLong pendingSends = new AtomicLong();
    final AtomicLong stale = new AtomicLong();

    final long startNanos;
    final Timeline timeline;

    PhaseState(int capacity, Semaphore[] windows, int senders, long startNanos, Timeline timeline) {
      this.startNanos = startNanos;
      this.timeline = timeline;
      this.tracker = new DeliveryTracker(capacity);
      this.windows = windows;
      this.senders = senders;
    }

    void send(PeerSender sender, int recipient, byte[] content, Semaphore onAccept) {
      sent.incrementAndGet();
      pendingSends.incrementAndGet();
      int index = Payload.index(content);
      if (timeline != null) {
        timeline.sent(index, Payload.intendedNanos(content), Payload.sentNanos(content));
      }
      sender
          .send(recipient, content)
          .whenComplete(
              (ok, error) -> {
                if (error == null) {
                  accepted.incrementAndGet();
                  if (timeline != null) {
                    timeline.accepted(index, System.nanoTime());
                  }
                } else {
                  failures.incrementAndGet();
                  if (windows != null) {
                    windows[index % senders].release();
                  }
                }
                if (onAccept != null) {
                  onAccept.release();
                }
                pendingSends.decrementAndGet();
              });
    }

    void onDelivery(byte[] content, long now) {
      int index = Payload.index(content);
      // a straggler from an earlier phase was scheduled before this phase began
      if (Payload.intendedNanos(content) < startNanos || index < 0 || index >= tracker.capacity()) {
        stale.incrementAndGet();
        return;
      }
      if (tracker.deliver(index, now)) {
        latency.record(content, now);
        if (timeline != null) {
          timeline.delivered(index, now);
        }
        if (windows != null) {
          windows[index % senders].release();
        }
      }
    }

    PhaseResult result(
        String name, double rate, long start, ResourceSampler.Usage usage, boolean complete) {
      long last = tracker.lastDeliveryNanos();
      double seconds = last > start ? (last - start) / 1e9 : 0;
      return new PhaseResult(
          name,
          rate,
          sent.get(),
          accepted.get(),
          failures.get(),
          tracker.delivered(),
          tracker.duplicates(),
          seconds,
          seconds > 0 ? tracker.delivered() / seconds : 0,
          latency.corrected(),
          latency.uncorrected(),
          usage,
          complete);
    }
  }
}
