package org.sealpost.cli.crash;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.client.ClientOptions;
import org.sealpost.client.Mailbox;
import org.sealpost.client.ReceivedMessage;
import org.sealpost.client.SealpostClient;
import org.sealpost.proto.crypto.X25519KeyPair;

/**
 * The relay as a child JVM is killed with SIGKILL at a random moment while senders send and
 * recipients take and acknowledge, then restarted on the same data directory (DESIGN §3, durability
 * contract):
 *
 * <ul>
 *   <li>every message whose Send was answered OK is delivered at least once, before or after;
 *   <li>on the subscribed mailboxes the application, through the same client, sees each message
 *       exactly once (the client library drops redeliveries by envelope ID);
 *   <li>on the polled mailboxes (Get completes only once its Ack was answered) a fresh client with
 *       no memory of earlier deliveries drains after the restart, and none of the messages whose
 *       ack was answered comes back.
 * </ul>
 *
 * Cycles: 3, or {@code -Dsealpost.crash.cycles=N}; seed: {@code -Dsealpost.crash.seed=S}.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RelayCrashIT {
  private static final int SENDERS = 3;
  private static final int SUBSCRIBED = 2; // mailboxes 0..1: pushed, app-level exactly once
  private static final int POLLED = 2; // mailboxes 2..3: Get, ack answered observed
  private static final int MAILBOXES = SUBSCRIBED + POLLED;

  @TempDir Path tmp;

  @Test
  void everySendAnsweredOkSurvivesSigkillAndNothingAckedComesBack() throws Exception {
    int cycles = Integer.getInteger("sealpost.crash.cycles", 3);
    long seed = Long.getLong("sealpost.crash.seed", System.nanoTime());
    System.out.println("RelayCrashIT seed " + seed + ", cycles " + cycles);
    Random random = new Random(seed);
    for (int cycle = 0; cycle < cycles; cycle++) {
      // kill after a random number (40..240) of sends answered OK
      runCycle(tmp.resolve("cycle" + cycle), 40 + random.nextInt(200));
    }
  }

  /** What one cycle observed; every set holds content IDs ("m<mailbox>-s<sender>-<n>"). */
  private static final class Observed {
    final Set<String> attempted = ConcurrentHashMap.newKeySet();
    final Set<String> answeredOk = ConcurrentHashMap.newKeySet();
    final Set<String> ackAnswered = ConcurrentHashMap.newKeySet();
    final Map<String, AtomicInteger> appSeen = new ConcurrentHashMap<>();
    final Set<String> drainedByFreshClient = ConcurrentHashMap.newKeySet();

    void seen(ReceivedMessage m) {
      appSeen
          .computeIfAbsent(new String(m.content(), UTF_8), k -> new AtomicInteger())
          .incrementAndGet();
    }
  }

  private void runCycle(Path dataDir, int killAfterOk) throws Exception {
    int port = RelayProcess.freePort();
    Observed seen = new Observed();
    ClientOptions options =
        ClientOptions.defaults().toBuilder()
            .reconnectDelays(Duration.ofMillis(50), Duration.ofMillis(400))
            .requestTimeout(Duration.ofSeconds(10))
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    List<SealpostClient> senders = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    AtomicBoolean loadOn = new AtomicBoolean(true);
    CountDownLatch killNow = new CountDownLatch(1);
    RelayProcess relay = RelayProcess.start(dataDir, port, List.of(), "--queue-quota", "100000");
    try (SealpostClient recipient = SealpostClient.create(options)) {
      List<Mailbox> mailboxes = new ArrayList<>();
      for (int i = 0; i < MAILBOXES; i++) {
        mailboxes.add(get(recipient.createMailbox(relay.address())));
      }
      for (int i = 0; i < SUBSCRIBED; i++) {
        get(recipient.subscribe(mailboxes.get(i), seen::seen));
      }
      for (int i = SUBSCRIBED; i < MAILBOXES; i++) {
        Mailbox m = mailboxes.get(i);
        threads.add(thread("poll-" + i, () -> pollLoop(recipient, m, seen, loadOn)));
      }
      for (int s = 0; s < SENDERS; s++) {
        SealpostClient sender = SealpostClient.create(options.toBuilder().reconnect(false).build());
        senders.add(sender);
        int id = s;
        threads.add(
            thread(
                "send-" + s,
                () -> sendLoop(sender, id, mailboxes, seen, loadOn, killAfterOk, killNow)));
      }
      threads.forEach(Thread::start);

      assertThat(killNow.await(60, TimeUnit.SECONDS)).as("sends answered OK").isTrue();
      relay.kill();
      loadOn.set(false);
      for (Thread t : threads) {
        t.join(30_000);
        assertThat(t.isAlive()).as(t.getName() + " ended").isFalse();
      }
      int okAtKill = seen.answeredOk.size();

      relay = RelayProcess.start(dataDir, port, List.of(), "--queue-quota", "100000");

      // polled mailboxes: a fresh client, with no memory of what was delivered before
      try (SealpostClient fresh = SealpostClient.create(options)) {
        for (int i = SUBSCRIBED; i < MAILBOXES; i++) {
          while (true) {
            AtomicReference<String> got = new AtomicReference<>();
            boolean any =
                get(fresh.get(mailboxes.get(i), m -> got.set(new String(m.content(), UTF_8))));
            if (!any) {
              break;
            }
            assertThat(got.get()).as("a delivery that opens").isNotNull();
            seen.drainedByFreshClient.add(got.get());
          }
        }
      }
      // subscribed mailboxes: the original client reconnects and resubscribes by itself
      for (String ok : seen.answeredOk) {
        if (mailboxIndex(ok) < SUBSCRIBED) {
          awaitSeen(seen, ok);
        }
      }

      System.out.printf(
          "cycle: killed after %d OK (target %d); acks answered before the kill %d; "
              + "drained after restart by a fresh client %d%n",
          okAtKill, killAfterOk, seen.ackAnswered.size(), seen.drainedByFreshClient.size());
      assertThat(seen.answeredOk).hasSizeGreaterThanOrEqualTo(killAfterOk);
      for (String ok : seen.answeredOk) {
        boolean delivered = seen.appSeen.containsKey(ok) || seen.drainedByFreshClient.contains(ok);
        assertThat(delivered).as("answered OK, then delivered: " + ok).isTrue();
      }
      assertThat(seen.attempted).containsAll(seen.appSeen.keySet());
      assertThat(seen.attempted).containsAll(seen.drainedByFreshClient);
      seen.appSeen.forEach(
          (id, n) -> assertThat(n.get()).as("the application saw " + id + " once").isEqualTo(1));
      assertThat(seen.drainedByFreshClient).doesNotContainAnyElementsOf(seen.ackAnswered);
    } finally {
      loadOn.set(false);
      senders.forEach(SealpostClient::close);
      relay.close();
    }
  }

  private static Thread thread(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    return t;
  }

  private static void sendLoop(
      SealpostClient sender,
      int senderId,
      List<Mailbox> mailboxes,
      Observed seen,
      AtomicBoolean loadOn,
      int killAfterOk,
      CountDownLatch killNow) {
    X25519KeyPair identity = sender.newIdentity();
    for (int n = 0; loadOn.get(); n++) {
      int box = (n + senderId) % MAILBOXES;
      String id = "m" + box + "-s" + senderId + "-" + n;
      seen.attempted.add(id);
      try {
        get(sender.send(mailboxes.get(box).address(), id.getBytes(UTF_8), identity));
      } catch (Exception e) {
        return; // the relay was killed: this send may or may not be stored
      }
      seen.answeredOk.add(id);
      if (seen.answeredOk.size() >= killAfterOk) {
        killNow.countDown();
      }
    }
  }

  private static void pollLoop(
      SealpostClient recipient, Mailbox mailbox, Observed seen, AtomicBoolean loadOn) {
    while (loadOn.get()) {
      AtomicReference<String> got = new AtomicReference<>();
      boolean any;
      try {
        any =
            get(
                recipient.get(
                    mailbox,
                    m -> {
                      seen.seen(m);
                      got.set(new String(m.content(), UTF_8));
                    }));
      } catch (Exception e) {
        return; // the relay was killed: the ack of a message seen just now may be unanswered
      }
      if (got.get() != null) {
        seen.ackAnswered.add(got.get()); // the Get completes only once its Ack was answered
      } else if (!any) {
        LockSupport.parkNanos(2_000_000); // nothing pending: poll again shortly
      }
    }
  }

  private static void awaitSeen(Observed seen, String id) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!seen.appSeen.containsKey(id) && System.nanoTime() < deadline) {
      LockSupport.parkNanos(5_000_000);
    }
    assertThat(seen.appSeen).as("answered OK, then pushed after the restart").containsKey(id);
  }

  private static int mailboxIndex(String id) {
    return Integer.parseInt(id.substring(1, id.indexOf('-')));
  }

  private static <T> T get(java.util.concurrent.CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
