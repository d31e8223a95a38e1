package org.sealpost.benchmarks.sealpost;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.sealpost.benchmarks.load.DiskUsage;
import org.sealpost.benchmarks.load.ExtendedWorkloads;
import org.sealpost.benchmarks.load.Progress;
import org.sealpost.client.Mailbox;
import org.sealpost.client.RelayConnection;
import org.sealpost.client.SealedMessageHandler;
import org.sealpost.mailbox.MailboxConfig;
import org.sealpost.mailbox.QueueSecrets;
import org.sealpost.mailbox.SyncPolicy;
import org.sealpost.mailbox.rocksdb.RocksMailboxStore;

/** W3 and W4 against a relay process, through {@link SealpostDriver}'s client and mailboxes. */
public final class SealpostWorkloads implements ExtendedWorkloads {

  /** What the workloads need of the relay process besides its address. */
  public interface RelayControl {
    int pid() throws IOException;

    /** The relay's data directory ({@code --data-dir}). */
    Path dataDir();

    String jvmFlags() throws IOException;

    /** Stops the relay (gracefully), keeping its data. */
    void stop() throws Exception;

    /** Starts it again on the data {@link #stop()} kept. */
    void start() throws Exception;
  }

  private static final int CONNECTS_IN_FLIGHT = 32;
  private static final int CREATES_IN_FLIGHT = 4096;
  private static final SealedMessageHandler IDLE = (mailbox, envelope) -> {};

  private final SealpostDriver driver;
  private final RelayControl relay;
  private final Progress progress;

  public SealpostWorkloads(SealpostDriver driver, RelayControl relay, Progress progress) {
    this.driver = driver;
    this.relay = relay;
    this.progress = progress;
  }

  @Override
  public IdleConnections idleConnections(int connections) throws Exception {
    driver.prepareQueues(connections);
    List<Mailbox> mailboxes = driver.mailboxes();
    Memory before = RelayMemory.measure(relay.pid());
    ConcurrentLinkedQueue<RelayConnection> open = new ConcurrentLinkedQueue<>();
    Semaphore inFlight = new Semaphore(CONNECTS_IN_FLIGHT);
    List<CompletableFuture<Void>> all = new ArrayList<>();
    long t0 = System.nanoTime();
    try {
      for (int i = 0; i < connections; i++) {
        inFlight.acquire();
        Mailbox m = mailboxes.get(i);
        all.add(
            driver
                .client()
                .connect(driver.relay())
                .thenCompose(
                    c -> {
                      open.add(c);
                      return c.subscribeSealed(m, IDLE);
                    })
                .whenComplete((ok, e) -> inFlight.release())
                .toCompletableFuture());
      }
      CompletableFuture<Void> done = CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
      progress.await(
          "W3 idle connections",
          connections,
          () -> all.stream().filter(CompletableFuture::isDone).count(),
          done::isDone,
          Duration.ofMinutes(5));
      done.get(1, TimeUnit.SECONDS);
      double openSeconds = (System.nanoTime() - t0) / 1e9;
      Memory after = RelayMemory.measure(relay.pid());
      return new IdleConnections(connections, before, after, openSeconds, relay.jvmFlags());
    } finally {
      open.forEach(RelayConnection::close);
    }
  }

  @Override
  public IdleQueues idleQueues(int queues) throws Exception {
    relay.stop();
    relay.start();
    Memory before = RelayMemory.measure(relay.pid());
    relay.stop();
    Path store = relay.dataDir().resolve("store");
    long diskBefore = DiskUsage.bytes(store);
    long t0 = System.nanoTime();
    // The relay holds the store's lock, so the queues go in while it is stopped, through the
    // store's own API (random derived keys, as the relay stores them): CreateQueue over the
    // protocol would add public-key work per queue and take minutes for a million.
    MailboxConfig config =
        MailboxConfig.builder(store, relay.dataDir().resolve("store.key"))
            .syncPolicy(SyncPolicy.NEVER)
            .build();
    try (RocksMailboxStore s = RocksMailboxStore.opener(config).open()) {
      List<CompletableFuture<?>> pending = new ArrayList<>();
      AtomicLong made = new AtomicLong();
      Thread filler =
          new Thread(
              () -> {
                for (int i = 0; i < queues; i++) {
                  byte[] delivery = new byte[32];
                  byte[] mac = new byte[32];
                  ThreadLocalRandom.current().nextBytes(delivery);
                  ThreadLocalRandom.current().nextBytes(mac);
                  pending.add(s.createQueue(new QueueSecrets(delivery, mac)).toCompletableFuture());
                  if (pending.size() == CREATES_IN_FLIGHT) {
                    pending.forEach(CompletableFuture::join);
                    pending.clear();
                    made.set(i + 1L);
                  }
                }
                pending.forEach(CompletableFuture::join);
                made.set(queues);
              },
              "w3-fill");
      filler.start();
      progress.await(
          "W3 idle queues (fill)",
          queues,
          made::get,
          () -> !filler.isAlive(),
          Duration.ofMinutes(20));
      filler.join();
    }
    double fillSeconds = (System.nanoTime() - t0) / 1e9;
    long diskAfter = DiskUsage.bytes(store);
    relay.start();
    Memory after = RelayMemory.measure(relay.pid());
    return new IdleQueues(
        queues, before, after, diskBefore, diskAfter, fillSeconds, relay.jvmFlags());
  }

  @Override
  public Resubscribe resubscribe(int queues, int rounds) throws Exception {
    driver.prepareQueues(queues);
    List<Mailbox> mailboxes = driver.mailboxes().subList(0, queues);
    List<Long> nanos = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      long t0 = System.nanoTime();
      RelayConnection c = SealpostDriver.await(driver.client().connect(driver.relay()));
      try {
        List<CompletableFuture<Void>> all = new ArrayList<>(queues);
        for (Mailbox m : mailboxes) {
          all.add(c.subscribeSealed(m, IDLE).toCompletableFuture());
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
        nanos.add(System.nanoTime() - t0);
      } finally {
        c.close();
      }
    }
    return new Resubscribe(queues, nanos);
  }
}
