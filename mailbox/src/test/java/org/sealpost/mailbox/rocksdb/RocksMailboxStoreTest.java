package org.sealpost.mailbox.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.mailbox.Appended;
import org.sealpost.mailbox.IdKind;
import org.sealpost.mailbox.MailboxConfig;
import org.sealpost.mailbox.MailboxException;
import org.sealpost.mailbox.MailboxStore;
import org.sealpost.mailbox.MailboxStoreContract;
import org.sealpost.mailbox.QueueRecord;
import org.sealpost.mailbox.StoredEnvelope;

class RocksMailboxStoreTest extends MailboxStoreContract {
  @TempDir Path tmp;

  Path dataDir() {
    return tmp.resolve("data");
  }

  Path keyFile() {
    return tmp.resolve("keys").resolve("master.key");
  }

  MailboxConfig.Builder config() {
    return MailboxConfig.builder(dataDir(), keyFile());
  }

  @Override
  protected MailboxStore open(UnaryOperator<MailboxConfig.Builder> tweak) {
    return RocksMailboxStore.opener(tweak.apply(config()).build()).clock(clock).open();
  }

  @Test
  void masterKeyFileIsCreatedOwnerOnlyOutsideTheDataDirectory() throws Exception {
    store();
    assertThat(Files.size(keyFile())).isEqualTo(32);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile())))
        .isEqualTo("rw-------");
    assertThatThrownBy(() -> MailboxConfig.builder(dataDir(), dataDir().resolve("k")).build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aDifferentOrMissingMasterKeyIsRefusedAndTheRightOneStillWorks() throws Exception {
    MailboxStore s = store();
    QueueRecord q = await(s.createQueue(secrets()));
    s.close();
    byte[] right = Files.readAllBytes(keyFile());
    Files.write(keyFile(), new byte[32]);
    assertThat(openFailure()).isEqualTo(MailboxException.Code.CORRUPT);
    Files.delete(keyFile());
    assertThat(openFailure()).isEqualTo(MailboxException.Code.CORRUPT);
    assertThat(Files.exists(keyFile())).as("no new key is made for an existing store").isFalse();
    Files.write(keyFile(), right);
    s = store();
    assertThat(await(s.findBySenderId(q.senderId()))).isPresent();
  }

  @Test
  void aForeignDirectoryIsRefusedAndLeftAlone() throws Exception {
    Files.createDirectories(dataDir());
    Files.writeString(dataDir().resolve("notes.txt"), "not a database");
    assertThat(openFailure()).isEqualTo(MailboxException.Code.CORRUPT);
    assertThat(Files.readString(dataDir().resolve("notes.txt"))).isEqualTo("not a database");
  }

  @Test
  void aCorruptDirectoryIsRefusedAsCorrupt() throws Exception {
    store().close();
    try (var files = Files.list(dataDir())) {
      for (Path p : files.toList()) {
        if (p.getFileName().toString().startsWith("MANIFEST")) {
          Files.write(p, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        }
      }
    }
    assertThat(openFailure()).isEqualTo(MailboxException.Code.CORRUPT);
  }

  @Test
  void aFailedOpenOfAnEmptyDirectoryCleansUpAndALaterOpenWorks() throws Exception {
    // the data dir path is a file: nothing is created and the error is clear
    Files.createDirectories(tmp);
    Files.writeString(dataDir(), "x");
    assertThat(openFailure()).isEqualTo(MailboxException.Code.CORRUPT);
    Files.delete(dataDir());
    MailboxStore s = store();
    QueueRecord q = await(s.createQueue(secrets()));
    assertThat(await(s.findByRecipientId(q.recipientId()))).isPresent();
  }

  @Test
  void aSecondOpenOfTheSameDirectoryFailsWhileTheFirstKeepsWorking() {
    MailboxStore s = store();
    assertThat(openFailure()).isEqualTo(MailboxException.Code.STORAGE);
    assertThat(await(s.createQueue(secrets())).recipientId()).hasSize(32);
  }

  private MailboxException.Code openFailure() {
    try {
      open(b -> b).close();
    } catch (MailboxException e) {
      assertThat(e.getMessage()).doesNotContain(tmp.toString());
      return e.code();
    }
    throw new AssertionError("open should fail");
  }

  @Test
  void aBalancedLookupIsOneReadTask() {
    java.util.concurrent.atomic.AtomicInteger tasks =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      MailboxStore s =
          RocksMailboxStore.opener(config().build())
              .clock(clock)
              .readExecutor(
                  r -> {
                    tasks.incrementAndGet();
                    pool.execute(r);
                  })
              .open();
      try {
        QueueRecord q = await(s.createQueue(secrets()));
        QueueRecord decoy = await(s.createQueue(secrets()));
        tasks.set(0);
        await(s.lookupBalanced(IdKind.SENDER, q.senderId(), decoy.queueId()));
        await(s.lookupBalanced(IdKind.SENDER, new byte[32], decoy.queueId()));
        assertThat(tasks.get()).isEqualTo(2);
      } finally {
        s.close();
      }
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void concurrentWritesShareOneGroupCommit() throws Exception {
    RocksMailboxStore s = (RocksMailboxStore) store();
    QueueRecord q = await(s.createQueue(secrets()));
    CountDownLatch release = new CountDownLatch(1);
    BlockingOp op = new BlockingOp(release);
    CompletableFuture<Void> blocker = s.writer().submit(op);
    op.entered.await();
    long groupsBefore = s.writer().groupsCommitted();
    List<CompletableFuture<Appended>> appends = new ArrayList<>();
    boolean noneDone;
    try {
      for (int i = 0; i < 100; i++) {
        appends.add(s.append(q.queueId(), envelope("m" + i)).toCompletableFuture());
      }
      noneDone = appends.stream().noneMatch(CompletableFuture::isDone);
    } finally {
      release.countDown();
    }
    assertThat(noneDone).isTrue();
    blocker.get();
    for (CompletableFuture<Appended> a : appends) {
      a.get();
    }
    // the blocker's group plus one group for all 100 appends
    assertThat(s.writer().groupsCommitted() - groupsBefore).isLessThanOrEqualTo(2);
    List<StoredEnvelope> page = await(s.readPending(q.queueId(), 0, 64));
    assertThat(texts(page).get(0)).isEqualTo("m0");
  }

  @Test
  void aFullSubmissionQueueFailsWithOverloadAndTheStoreRecovers() throws Exception {
    RocksMailboxStore s = (RocksMailboxStore) store(b -> b.submissionQueueCapacity(4));
    QueueRecord q = await(s.createQueue(secrets()));
    CountDownLatch release = new CountDownLatch(1);
    BlockingOp op = new BlockingOp(release);
    CompletableFuture<Void> blocker = s.writer().submit(op);
    op.entered.await();
    List<CompletableFuture<Appended>> appends = new ArrayList<>();
    try {
      for (int i = 0; i < 10; i++) {
        appends.add(s.append(q.queueId(), envelope("m" + i)).toCompletableFuture());
      }
    } finally {
      release.countDown();
    }
    long overloaded =
        appends.stream()
            .filter(f -> f.isCompletedExceptionally())
            .map(f -> failureCode(f))
            .filter(c -> c == MailboxException.Code.OVERLOAD)
            .count();
    assertThat(overloaded).isEqualTo(6);
    blocker.get();
    for (CompletableFuture<Appended> a : appends) {
      if (!a.isCompletedExceptionally()) {
        a.get();
      }
    }
    await(s.append(q.queueId(), envelope("after")));
  }

  @Test
  void diskBudgetExhaustionGivesQuotaWhileReadsAndAcksKeepWorking() {
    MailboxStore s =
        store(b -> b.diskBudgetBytes(600_000).queueMessageQuota(1000).queueByteQuota(1L << 30));
    QueueRecord q = await(s.createQueue(secrets()));
    List<Appended> stored = new ArrayList<>();
    MailboxException.Code refused = null;
    for (int i = 0; i < 200 && refused == null; i++) {
      try {
        stored.add(await(s.append(q.queueId(), new byte[15_000])));
      } catch (MailboxException e) {
        refused = e.code();
      }
    }
    assertThat(refused).isEqualTo(MailboxException.Code.DISK_BUDGET);
    assertThat(stored.size()).isBetween(10, 45);
    assertThat(await(s.readPending(q.queueId(), 0, 64))).hasSize(stored.size());
    assertThat(await(s.ack(q.queueId(), stored.get(0).messageId()))).isTrue();
    assertThat(await(s.findByRecipientId(q.recipientId()))).isPresent();
    s = reopen(s, b -> b.diskBudgetBytes(600_000).queueMessageQuota(1000).queueByteQuota(1L << 30));
    assertThat(await(s.readPending(q.queueId(), 0, 64))).hasSize(stored.size() - 1);
    s = reopen(s, b -> b);
    await(s.append(q.queueId(), new byte[15_000]));
  }

  @Test
  void evictedQueueStateIsRebuiltWithCorrectQuotasAndPositions() {
    MailboxStore s = store(b -> b.activeQueueCacheSize(2).queueMessageQuota(3));
    List<QueueRecord> queues = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      queues.add(await(s.createQueue(secrets())));
    }
    long[] last = new long[6];
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 6; i++) {
        Appended a = await(s.append(queues.get(i).queueId(), envelope("r" + round)));
        assertThat(a.position()).isGreaterThan(last[i]);
        last[i] = a.position();
      }
    }
    for (QueueRecord q : queues) {
      assertThat(failureCode(s.append(q.queueId(), envelope("over"))))
          .isEqualTo(MailboxException.Code.QUOTA_MESSAGES);
    }
    for (int i = 0; i < 6; i++) {
      for (StoredEnvelope e : await(s.readPending(queues.get(i).queueId(), 0, 10))) {
        assertThat(await(s.ack(queues.get(i).queueId(), e.messageId()))).isTrue();
      }
    }
    for (int i = 0; i < 6; i++) {
      assertThat(await(s.append(queues.get(i).queueId(), envelope("again"))).position())
          .isGreaterThan(last[i]);
    }
  }

  /** Holds the writer thread until released, so the test controls what waits in the queue. */
  static final class BlockingOp extends WriteOp<Void> {
    private final CountDownLatch release;
    final CountDownLatch entered = new CountDownLatch(1);

    BlockingOp(CountDownLatch release) {
      this.release = release;
    }

    @Override
    void apply(GroupCommitWriter w, GroupCommitWriter.Group g) {
      entered.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      succeed(null);
    }

    @Override
    boolean exclusive() {
      return true;
    }

    @Override
    String name() {
      return "test block";
    }
  }

  // issue 12: online backup
  @Test
  void aCheckpointIsAConsistentCopyThatOpensWithTheSameKeyWhileTheStoreServes() {
    MailboxStore s = store();
    QueueRecord q = await(s.createQueue(secrets()));
    await(s.append(q.queueId(), envelope("one")));
    await(s.append(q.queueId(), envelope("two")));
    Path copy = tmp.resolve("copy");

    s.checkpoint(copy);
    await(s.append(q.queueId(), envelope("three")));

    assertThatThrownBy(() -> s.checkpoint(copy))
        .isInstanceOfSatisfying(
            MailboxException.class,
            e -> assertThat(e.code()).isEqualTo(MailboxException.Code.STORAGE));
    try (MailboxStore restored =
        RocksMailboxStore.opener(MailboxConfig.builder(copy, keyFile()).build())
            .clock(clock)
            .open()) {
      assertThat(texts(await(restored.readPending(q.queueId(), MailboxStore.START, 10))))
          .containsExactly("one", "two");
    }
    assertThat(texts(await(s.readPending(q.queueId(), MailboxStore.START, 10))))
        .containsExactly("one", "two", "three");
    s.close();
    assertThatThrownBy(() -> s.checkpoint(tmp.resolve("later")))
        .isInstanceOfSatisfying(
            MailboxException.class,
            e -> assertThat(e.code()).isEqualTo(MailboxException.Code.CLOSED));
  }
}
