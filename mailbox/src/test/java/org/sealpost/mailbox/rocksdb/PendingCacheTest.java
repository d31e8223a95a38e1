package org.sealpost.mailbox.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.mailbox.MailboxConfig;
import org.sealpost.mailbox.MailboxException;
import org.sealpost.mailbox.MailboxStore;
import org.sealpost.mailbox.QueueId;
import org.sealpost.mailbox.QueueSecrets;
import org.sealpost.mailbox.StoredEnvelope;

/**
 * The in-memory tail of pending envelopes ({@link PendingCache}): a reader that keeps up is served
 * from memory, and what it is served is always what the disk would have said.
 */
class PendingCacheTest {
  private final SecureRandom random = new SecureRandom();
  private final List<RocksMailboxStore> opened = new ArrayList<>();

  @TempDir Path tmp;

  @AfterEach
  void closeStores() {
    opened.forEach(RocksMailboxStore::close);
  }

  private RocksMailboxStore open(String name, long cacheBytes) {
    MailboxConfig config =
        MailboxConfig.builder(tmp.resolve(name), tmp.resolve(name + ".key"))
            .pendingCacheBytes(cacheBytes)
            // the racing test may run ahead of its subscriber by more than the default quota
            .queueMessageQuota(10_000)
            .queueByteQuota(1L << 30)
            .build();
    RocksMailboxStore s = RocksMailboxStore.opener(config).open();
    opened.add(s);
    return s;
  }

  private QueueId queue(RocksMailboxStore s) {
    byte[] k = new byte[32];
    random.nextBytes(k);
    return await(s.createQueue(new QueueSecrets(k, k))).queueId();
  }

  private static <T> T await(CompletionStage<T> stage) {
    return stage.toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
  }

  private static byte[] envelope(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> texts(List<StoredEnvelope> read) {
    return read.stream().map(e -> new String(e.envelope(), StandardCharsets.UTF_8)).toList();
  }

  /** Reads until a read is answered at once (from memory), or fails after 10 s. */
  private static List<StoredEnvelope> readFromMemory(MailboxStore s, QueueId q, long after)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      CompletableFuture<List<StoredEnvelope>> f = s.readPending(q, after, 16).toCompletableFuture();
      if (f.isDone()) {
        return f.join();
      }
      f.join();
      TimeUnit.MILLISECONDS.sleep(5); // the install is queued behind the read on the writer
    }
    throw new AssertionError("no read was answered from memory");
  }

  @Test
  void aReaderThatKeepsUpIsServedFromMemoryInAppendOrder() throws Exception {
    RocksMailboxStore s = open("a", 1 << 20);
    QueueId q = queue(s);
    assertThat(readFromMemory(s, q, MailboxStore.START)).isEmpty();

    await(s.append(q, envelope("one")));
    await(s.append(q, envelope("two")));
    await(s.append(q, envelope("three")));
    CompletableFuture<List<StoredEnvelope>> read =
        s.readPending(q, MailboxStore.START, 16).toCompletableFuture();

    assertThat(read).isDone();
    List<StoredEnvelope> got = read.join();
    assertThat(texts(got)).containsExactly("one", "two", "three");
    assertThat(got.get(0).position()).isLessThan(got.get(1).position());
    // after the second: only the third; and the caller owns its copy
    List<StoredEnvelope> rest = await(s.readPending(q, got.get(1).position(), 16));
    assertThat(texts(rest)).containsExactly("three");
    rest.get(0).envelope()[0] = 'X';
    assertThat(texts(await(s.readPending(q, got.get(1).position(), 16)))).containsExactly("three");
  }

  @Test
  void anAcknowledgedEnvelopeIsNotServedAgain() throws Exception {
    RocksMailboxStore s = open("b", 1 << 20);
    QueueId q = queue(s);
    readFromMemory(s, q, MailboxStore.START);
    await(s.append(q, envelope("one")));
    await(s.append(q, envelope("two")));
    List<StoredEnvelope> got = await(s.readPending(q, MailboxStore.START, 16));

    assertThat(await(s.ack(q, got.get(0).messageId()))).isTrue();

    assertThat(texts(await(s.readPending(q, MailboxStore.START, 16)))).containsExactly("two");
  }

  @Test
  void aDeletedQueueIsNotAnsweredFromMemory() throws Exception {
    RocksMailboxStore s = open("c", 1 << 20);
    QueueId q = queue(s);
    readFromMemory(s, q, MailboxStore.START);
    await(s.append(q, envelope("one")));

    await(s.deleteQueue(q));

    assertThatThrownBy(() -> await(s.readPending(q, MailboxStore.START, 16)))
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(MailboxException.class);
  }

  @Test
  void aQueueWithMorePendingThanTheCacheHoldsIsReadFromDisk() throws Exception {
    RocksMailboxStore s = open("d", 1 << 20);
    QueueId q = queue(s);
    readFromMemory(s, q, MailboxStore.START);
    for (int i = 0; i <= PendingCache.MAX_ENTRIES; i++) {
      await(s.append(q, envelope("m" + i)));
    }

    List<StoredEnvelope> all = new ArrayList<>();
    long after = MailboxStore.START;
    while (true) {
      List<StoredEnvelope> page = await(s.readPending(q, after, 16));
      if (page.isEmpty()) {
        break;
      }
      all.addAll(page);
      after = page.get(page.size() - 1).position();
    }
    assertThat(all).hasSize(PendingCache.MAX_ENTRIES + 1);
    assertThat(texts(all).get(PendingCache.MAX_ENTRIES)).isEqualTo("m" + PendingCache.MAX_ENTRIES);
  }

  /** The same random sequence of operations gives the same answers with and without the cache. */
  @Test
  void answersWithTheCacheEqualAnswersFromDisk() {
    RocksMailboxStore cached = open("e", 1 << 20);
    RocksMailboxStore disk = open("f", 0);
    List<QueueId> qc = new ArrayList<>();
    List<QueueId> qd = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      qc.add(queue(cached));
      qd.add(queue(disk));
    }
    Random r = new Random(42);
    for (int step = 0; step < 1_500; step++) {
      int q = r.nextInt(4);
      int op = r.nextInt(10);
      if (op < 4) {
        byte[] e = envelope("s" + step);
        await(cached.append(qc.get(q), e));
        await(disk.append(qd.get(q), e));
      } else {
        List<StoredEnvelope> a = await(cached.readPending(qc.get(q), MailboxStore.START, 64));
        List<StoredEnvelope> b = await(disk.readPending(qd.get(q), MailboxStore.START, 64));
        assertThat(texts(a)).as("step %d", step).isEqualTo(texts(b));
        if (op < 8 && !a.isEmpty()) {
          int k = r.nextInt(a.size());
          assertThat(await(cached.ack(qc.get(q), a.get(k).messageId()))).isTrue();
          assertThat(await(disk.ack(qd.get(q), b.get(k).messageId()))).isTrue();
        }
      }
    }
  }

  /** A subscriber racing a pipelined sender sees every envelope once, in order. */
  @Test
  void aSubscriberRacingTheWriterMissesNothing() throws Exception {
    RocksMailboxStore s = open("g", 1 << 20);
    QueueId q = queue(s);
    int n = 2_000;
    Semaphore inFlight = new Semaphore(16);
    Thread sender =
        new Thread(
            () -> {
              for (int i = 0; i < n; i++) {
                inFlight.acquireUninterruptibly();
                s.append(q, envelope(Integer.toString(i)))
                    .whenComplete((a, e) -> inFlight.release());
              }
            });
    sender.start();
    long after = MailboxStore.START;
    int next = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (next < n && System.nanoTime() < deadline) {
      List<StoredEnvelope> page = await(s.readPending(q, after, 16));
      for (StoredEnvelope e : page) {
        assertThat(new String(e.envelope(), StandardCharsets.UTF_8))
            .isEqualTo(Integer.toString(next));
        next++;
        after = e.position();
        await(s.ack(q, e.messageId()));
      }
    }
    sender.join();
    assertThat(next).isEqualTo(n);
    // caught up: the cache takes over, and agrees that nothing is left
    assertThat(readFromMemory(s, q, after)).isEmpty();
    assertThat(await(s.readPending(q, MailboxStore.START, 16))).isEmpty();
  }
}
