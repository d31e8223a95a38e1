package org.sealpost.benchmarks.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * W2 offline fill then drain: with nobody subscribed, S senders store N messages round-robin into Q
 * queues; then every recipient connects, subscribes, receives its messages and disconnects, with a
 * bounded number of sessions at a time. Reports fill and drain msg/s, sessions/s and the time of
 * one session (connect + log in + subscribe + drain).
 */
public final class OfflineFillDrain {

  /**
   * @param messages N
   * @param queues Q
   * @param senders S
   * @param window accepted-but-unconfirmed sends per sender during the fill
   * @param contentBytes content size per message
   * @param drainConcurrency recipient sessions open at once during the drain
   * @param fillTimeout limit for the fill
   * @param drainTimeout limit for the drain
   * @param scaleNote why N and Q differ from the defaults (100,000 into 10,000), or empty
   */
  public record Params(
      int messages,
      int queues,
      int senders,
      int window,
      int contentBytes,
      int drainConcurrency,
      Duration fillTimeout,
      Duration drainTimeout,
      String scaleNote) {

    /**
     * The unreported round before the measured one: one message into each of the same queues, so
     * that the peer has opened, drained and closed as many sessions as the measured drain will.
     */
    public Params warmUp() {
      return new Params(
          queues,
          queues,
          senders,
          window,
          contentBytes,
          drainConcurrency,
          fillTimeout,
          drainTimeout,
          "");
    }
  }

  /**
   * @param sessionMillisP50 median time of one recipient session
   * @param sessionMillisP99 99th percentile time of one recipient session
   * @param sessionsPerSecond recipient sessions completed per second
   */
  public record Result(
      Params params,
      PhaseResult fill,
      PhaseResult drain,
      double sessionsPerSecond,
      double sessionMillisP50,
      double sessionMillisP99) {}

  private final Params params;
  private final Progress progress;

  public OfflineFillDrain(Params params, Progress progress) {
    this.params = params;
    this.progress = progress;
  }

  public Result run(PeerDriver driver, ResourceSampler sampler) throws Exception {
    driver.prepareMessages(
        params.queues(), (int) expectedFor(0, params.messages(), params.queues()));
    // the load generator's own garbage from what ran before (sealing the envelopes just above, a
    // warm-up round) is collected here, untimed, rather than by a collection inside the timed fill
    System.gc();
    PhaseResult fill = fill(driver, sampler);
    DeliveryTracker tracker = new DeliveryTracker(params.messages());
    Histogram sessionMicros = new ConcurrentHistogram(3);
    AtomicLong sessionsDone = new AtomicLong();
    AtomicLong sessionFailures = new AtomicLong();
    sampler.begin(tracker::delivered);
    long start = System.nanoTime();
    long deadline = start + params.drainTimeout().toNanos();
    ExecutorService pool = Executors.newFixedThreadPool(params.drainConcurrency());
    List<Future<?>> tasks = new ArrayList<>();
    for (int q = 0; q < params.queues(); q++) {
      int recipient = q;
      tasks.add(
          pool.submit(
              () -> {
                long expected = expectedFor(recipient, params.messages(), params.queues());
                CountDownLatch got = new CountDownLatch((int) expected);
                long t0 = System.nanoTime();
                RecipientSession session =
                    driver.openRecipient(
                        recipient,
                        (r, content) -> {
                          if (tracker.deliver(Payload.index(content), System.nanoTime())) {
                            got.countDown();
                          }
                        });
                try {
                  long left = deadline - System.nanoTime();
                  if (left <= 0 || !got.await(left, TimeUnit.NANOSECONDS)) {
                    sessionFailures.incrementAndGet();
                    return null;
                  }
                } finally {
                  session.close();
                }
                sessionMicros.recordValue((System.nanoTime() - t0) / 1000);
                sessionsDone.incrementAndGet();
                return null;
              }));
    }
    pool.shutdown();
    boolean complete =
        progress.await(
            "W2 drain",
            params.messages(),
            tracker::delivered,
            () -> pool.isTerminated(),
            params.drainTimeout().plusSeconds(30));
    pool.shutdownNow();
    long failedTasks = 0;
    for (Future<?> f : tasks) {
      if (f.isDone() && !f.isCancelled()) {
        try {
          f.get();
        } catch (Exception e) {
          failedTasks++;
        }
      }
    }
    ResourceSampler.Usage usage = sampler.end();
    long last = tracker.lastDeliveryNanos();
    long end = Math.max(last, start);
    double seconds = (end - start) / 1e9;
    complete =
        complete
            && failedTasks == 0
            && sessionFailures.get() == 0
            && tracker.delivered() == fill.accepted();
    PhaseResult drain =
        new PhaseResult(
            "drain",
            0,
            0,
            0,
            failedTasks + sessionFailures.get(),
            tracker.delivered(),
            tracker.duplicates(),
            seconds,
            seconds > 0 ? tracker.delivered() / seconds : 0,
            null,
            null,
            usage,
            complete);
    double sessionSeconds = (System.nanoTime() - start) / 1e9;
    return new Result(
        params,
        fill,
        drain,
        sessionSeconds > 0 ? sessionsDone.get() / sessionSeconds : 0,
        sessionMicros.getTotalCount() == 0 ? 0 : sessionMicros.getValueAtPercentile(50) / 1000.0,
        sessionMicros.getTotalCount() == 0 ? 0 : sessionMicros.getValueAtPercentile(99) / 1000.0);
  }

  /** How many of {@code messages} sent round-robin land in queue {@code q} of {@code queues}. */
  static long expectedFor(int q, int messages, int queues) {
    return messages / queues + (q < messages % queues ? 1 : 0);
  }

  private PhaseResult fill(PeerDriver driver, ResourceSampler sampler) throws Exception {
    List<PeerSender> senders = new ArrayList<>();
    for (int s = 0; s < params.senders(); s++) {
      senders.add(driver.openSender(s));
    }
    AtomicLong accepted = new AtomicLong();
    AtomicLong failures = new AtomicLong();
    AtomicLong sent = new AtomicLong();
    AtomicLong lastAccept = new AtomicLong();
    try {
      int n = senders.size();
      Semaphore[] windows = new Semaphore[n];
      for (int s = 0; s < n; s++) {
        windows[s] = new Semaphore(params.window());
      }
      sampler.begin(accepted::get);
      long start = System.nanoTime();
      List<Thread> threads = new ArrayList<>();
      for (int s = 0; s < n; s++) {
        int sender = s;
        threads.add(
            OnlineDelivery.thread(
                "w2-fill-" + s,
                () -> {
                  for (int index = sender; index < params.messages(); index += n) {
                    windows[sender].acquireUninterruptibly();
                    long now = System.nanoTime();
                    byte[] content = Payload.create(params.contentBytes(), now, now, index);
                    sent.incrementAndGet();
                    senders
                        .get(sender)
                        .send(index % params.queues(), content)
                        .whenComplete(
                            (ok, error) -> {
                              if (error == null) {
                                accepted.incrementAndGet();
                                lastAccept.accumulateAndGet(System.nanoTime(), Math::max);
                              } else {
                                failures.incrementAndGet();
                              }
                              windows[sender].release();
                            });
                  }
                }));
      }
      OnlineDelivery.joinAll(threads);
      boolean complete =
          progress.await(
              "W2 fill",
              params.messages(),
              accepted::get,
              () -> accepted.get() + failures.get() >= params.messages(),
              params.fillTimeout());
      ResourceSampler.Usage usage = sampler.end();
      double seconds = Math.max(0, lastAccept.get() - start) / 1e9;
      return new PhaseResult(
          "fill",
          0,
          sent.get(),
          accepted.get(),
          failures.get(),
          0,
          0,
          seconds,
          seconds > 0 ? accepted.get() / seconds : 0,
          null,
          null,
          usage,
          complete && failures.get() == 0);
    } finally {
      for (PeerSender s : senders) {
        OnlineDelivery.closeQuietly(s);
      }
    }
  }
}
