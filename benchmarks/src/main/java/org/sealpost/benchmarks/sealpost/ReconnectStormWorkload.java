package org.sealpost.benchmarks.sealpost;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.sealpost.benchmarks.load.ExtendedWorkloads.ReconnectStorm;
import org.sealpost.benchmarks.load.Payload;
import org.sealpost.benchmarks.load.ProcFs;
import org.sealpost.benchmarks.load.Progress;
import org.sealpost.benchmarks.load.ResourceSampler;
import org.sealpost.benchmarks.load.StormTracker;
import org.sealpost.client.ClientOptions;
import org.sealpost.client.Mailbox;
import org.sealpost.client.RelayConnection;
import org.sealpost.client.SealedMessageHandler;
import org.sealpost.client.SealpostClient;
import org.sealpost.client.SealpostException;
import org.sealpost.proto.crypto.SealedEnvelope;
import org.sealpost.proto.crypto.X25519KeyPair;

/**
 * W5, the reconnect storm, against a relay process: {@code clients} connections of the client
 * library, each subscribed (sealed) to its own queue, some with messages pending; the relay is
 * stopped and started on its data; then every connection is asked for {@link
 * RelayConnection#whenSubscribed()} at once, which reconnects it and resubscribes through the
 * library's own resubscription, and the relay pushes what waits.
 *
 * <p>Pending messages are real stored envelopes: sent (after subscribing) to the clients that have
 * some, and left unacknowledged by the handler, which refuses every delivery before the restart (a
 * handler that throws is not acknowledged, so the relay keeps the message and pushes it again on
 * the next subscription) — as messages pushed but not yet acknowledged when a relay goes down are.
 *
 * <p>The library's own reconnect timer is off, so that all clients come back at the same instant
 * (the worst case: every back-off timer firing together) and the storm's start is exact: the moment
 * the relay's start script returns, which is when it listens. Relay CPU is read from /proc from
 * then until the last client is done.
 */
public final class ReconnectStormWorkload {
  private static final int CONNECTS_IN_FLIGHT = 32;
  private static final int SENDS_IN_FLIGHT = 64;

  /**
   * A failed reconnect is retried after a delay drawn uniformly from [min, min(max, min × 2ⁿ)]
   * after the n-th failure, as the client library's own back-off does: a fixed delay brought all
   * failed clients back at the same instant and made the storm a retry storm (issue 13).
   */
  private static final long RETRY_MIN_MILLIS = 250;

  private static final long RETRY_MAX_MILLIS = 30_000;
  private static final int KEY_OFFSET = 1;

  private final SealpostDriver driver;
  private final SealpostWorkloads.RelayControl relay;
  private final ProcFs proc;
  private final double ticksPerSecond;
  private final Progress progress;

  public ReconnectStormWorkload(
      SealpostDriver driver,
      SealpostWorkloads.RelayControl relay,
      ProcFs proc,
      double ticksPerSecond,
      Progress progress) {
    this.driver = driver;
    this.relay = relay;
    this.proc = proc;
    this.ticksPerSecond = ticksPerSecond;
    this.progress = progress;
  }

  /**
   * @param withPending how many of the clients (the first ones) have messages pending
   * @param perClient messages pending for each of those
   * @param timeout how long the storm may take before it is reported incomplete
   */
  public ReconnectStorm run(int clients, int withPending, int perClient, Duration timeout)
      throws Exception {
    driver.prepareQueues(clients);
    List<Mailbox> mailboxes = driver.mailboxes().subList(0, clients);
    int[] pending = new int[clients];
    Arrays.fill(pending, 0, withPending, perClient);
    StormTracker tracker = new StormTracker(pending);
    Map<ByteBuffer, Integer> messageByKey = new ConcurrentHashMap<>();
    Map<String, AtomicLong> causes = new ConcurrentHashMap<>();
    AtomicLong unknown = new AtomicLong();
    boolean[] storm = new boolean[1];
    Object stormLock = new Object();
    ScheduledExecutorService retries =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "w5-retry");
              t.setDaemon(true);
              return t;
            });
    RelayConnection[] connections = new RelayConnection[clients];
    SealpostClient client =
        SealpostClient.create(
            ClientOptions.defaults().toBuilder()
                .reconnect(false)
                .requestTimeout(Duration.ofSeconds(120))
                .connectTimeout(Duration.ofSeconds(120))
                .handshakeTimeout(Duration.ofSeconds(120))
                .build());
    try {
      Semaphore inFlight = new Semaphore(CONNECTS_IN_FLIGHT);
      List<CompletableFuture<Void>> subscribed = new ArrayList<>(clients);
      for (int i = 0; i < clients; i++) {
        inFlight.acquire();
        SealedMessageHandler handler =
            new SealedMessageHandler() {
              @Override
              public void onSealed(Mailbox mailbox, byte[] envelope) {
                synchronized (stormLock) {
                  if (!storm[0]) {
                    // not acknowledged: stays pending in the relay over the restart
                    throw new IllegalStateException("held for the storm");
                  }
                }
                Integer index = messageByKey.get(key(envelope));
                if (index == null) {
                  unknown.incrementAndGet();
                } else {
                  tracker.delivered(index, System.nanoTime());
                }
              }

              @Override
              public void onSubscriptionFailed(Mailbox mailbox, SealpostException problem) {
                count(causes, problem);
              }
            };
        int slot = i;
        subscribed.add(
            client
                .connect(driver.relay())
                .thenCompose(
                    c -> {
                      connections[slot] = c;
                      return c.subscribeSealed(mailboxes.get(slot), handler);
                    })
                .whenComplete((ok, e) -> inFlight.release())
                .toCompletableFuture());
      }
      CompletableFuture.allOf(subscribed.toArray(CompletableFuture[]::new))
          .get(5, TimeUnit.MINUTES);
      sendPending(client, mailboxes, withPending, perClient, tracker, messageByKey);

      long stop = System.nanoTime();
      relay.stop();
      synchronized (stormLock) {
        storm[0] = true;
      }
      relay.start();
      long t0 = System.nanoTime();
      ReconnectStorm result;
      try (ResourceSampler sampler =
          new ResourceSampler(proc, List.of(relay.pid()), ticksPerSecond, 1000)) {
        sampler.begin(tracker::clientsDone);
        int[] failures = new int[clients];
        for (int i = 0; i < clients; i++) {
          reconnect(connections[i], i, failures, tracker, causes, retries);
        }
        progress.await(
            "W5 reconnect storm", clients, tracker::clientsDone, tracker::complete, timeout);
        long end = tracker.complete() ? tracker.lastDoneNanos() : System.nanoTime();
        ResourceSampler.Usage usage = sampler.end();
        long lastResub = tracker.lastResubscribedNanos();
        long half = tracker.halfDoneNanos();
        result =
            new ReconnectStorm(
                clients,
                withPending,
                perClient,
                (t0 - stop) / 1e9,
                lastResub == 0 ? 0 : (lastResub - t0) / 1e9,
                half == 0 ? 0 : (half - t0) / 1e9,
                (end - t0) / 1e9,
                tracker.clientsDone(),
                tracker.delivered(),
                tracker.duplicates() + unknown.get(),
                causes.values().stream().mapToLong(AtomicLong::get).sum(),
                causes.entrySet().stream()
                    .sorted(Map.Entry.comparingByKey())
                    .map(e -> e.getKey() + " × " + e.getValue().get())
                    .collect(Collectors.joining(", ")),
                usage.peerCpuSeconds(),
                usage.loadGeneratorCpuSeconds(),
                tracker.complete());
      }
      return result;
    } finally {
      retries.shutdownNow();
      for (RelayConnection c : connections) {
        if (c != null) {
          c.close();
        }
      }
      client.close();
    }
  }

  private static void reconnect(
      RelayConnection c,
      int index,
      int[] failures,
      StormTracker tracker,
      Map<String, AtomicLong> causes,
      ScheduledExecutorService retries) {
    c.whenSubscribed()
        .whenComplete(
            (ok, e) -> {
              if (e == null) {
                tracker.resubscribed(index, System.nanoTime());
              } else if (!retries.isShutdown()) {
                count(causes, e);
                retries.schedule(
                    () -> reconnect(c, index, failures, tracker, causes, retries),
                    retryDelayMillis(++failures[index]),
                    TimeUnit.MILLISECONDS);
              }
            });
  }

  /** The delay after a client's n-th failed reconnect (n ≥ 1): full jitter above the minimum. */
  static long retryDelayMillis(int failures) {
    long ceiling = RETRY_MIN_MILLIS << Math.min(failures, 20);
    ceiling = Math.min(RETRY_MAX_MILLIS, ceiling);
    return RETRY_MIN_MILLIS + ThreadLocalRandom.current().nextLong(ceiling - RETRY_MIN_MILLIS + 1);
  }

  /** Seals each pending message ahead (not timed) and sends it; returns once all are stored. */
  private void sendPending(
      SealpostClient client,
      List<Mailbox> mailboxes,
      int withPending,
      int perClient,
      StormTracker tracker,
      Map<ByteBuffer, Integer> messageByKey)
      throws Exception {
    if (tracker.messages() == 0) {
      return;
    }
    RelayConnection sender = SealpostDriver.await(client.connect(driver.relay()));
    try {
      int size = SealpostDriver.await(sender.info()).envelopeSize();
      X25519KeyPair identity = client.newIdentity();
      Semaphore inFlight = new Semaphore(SENDS_IN_FLIGHT);
      List<CompletableFuture<Void>> sent = new ArrayList<>(tracker.messages());
      for (int c = 0; c < withPending; c++) {
        Mailbox m = mailboxes.get(c);
        for (int k = 0; k < perClient; k++) {
          int index = tracker.messageIndex(c, k);
          byte[] envelope =
              new SealedEnvelope(size)
                  .seal(
                      identity,
                      m.address().sealingKey(),
                      Payload.create(64, c, index, index),
                      client.options().random());
          messageByKey.put(key(envelope), index);
          inFlight.acquire();
          sent.add(
              sender
                  .sendSealed(m.address(), envelope)
                  .whenComplete((ok, e) -> inFlight.release())
                  .toCompletableFuture());
        }
      }
      CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
    } finally {
      sender.close();
    }
  }

  /** Counts a failure by its client error code (or exception class): no address, no key. */
  private static void count(Map<String, AtomicLong> causes, Throwable e) {
    Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    String cause =
        t instanceof SealpostException se ? se.error().name() : t.getClass().getSimpleName();
    causes.computeIfAbsent(cause, k -> new AtomicLong()).incrementAndGet();
  }

  private static ByteBuffer key(byte[] envelope) {
    return ByteBuffer.wrap(
        Arrays.copyOfRange(envelope, KEY_OFFSET, KEY_OFFSET + X25519KeyPair.KEY_LENGTH));
  }
}
