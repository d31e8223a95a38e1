package org.sealpost.mailbox.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.mailbox.MailboxConfig;
import org.sealpost.mailbox.MailboxException;
import org.sealpost.mailbox.QueueRecord;
import org.sealpost.mailbox.QueueSecrets;
import org.sealpost.mailbox.SyncPolicy;

/** Store-wide budgets (issue 17.2): the number of queues, and the disk bytes. */
class StoreBudgetTest {
  @TempDir Path tmp;

  private RocksMailboxStore open(UnaryOperator<MailboxConfig.Builder> tweak) {
    return RocksMailboxStore.opener(
            tweak
                .apply(
                    MailboxConfig.builder(tmp.resolve("store"), tmp.resolve("store.key"))
                        .syncPolicy(SyncPolicy.NEVER))
                .build())
        .open();
  }

  private static <T> T await(CompletionStage<T> s) throws Exception {
    return s.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static MailboxException.Code refusal(CompletionStage<?> s) throws Exception {
    try {
      await(s);
    } catch (ExecutionException e) {
      return ((MailboxException) e.getCause()).code();
    }
    throw new AssertionError("expected a refusal");
  }

  private static QueueSecrets secrets() {
    return new QueueSecrets(new byte[32], new byte[32]);
  }

  @Test
  void createQueueBeyondTheQueueBudgetIsRefusedUntilAQueueIsDeleted() throws Exception {
    List<QueueRecord> made = new ArrayList<>();
    try (RocksMailboxStore s = open(b -> b.maxQueues(3))) {
      for (int i = 0; i < 3; i++) {
        made.add(await(s.createQueue(secrets())));
      }
      assertThat(refusal(s.createQueue(secrets()))).isEqualTo(MailboxException.Code.DISK_BUDGET);
      await(s.deleteQueue(made.get(0).queueId()));
      made.add(await(s.createQueue(secrets())));
    }
    // the count is the stored one: a restart does not reset it
    try (RocksMailboxStore s = open(b -> b.maxQueues(3))) {
      assertThat(refusal(s.createQueue(secrets()))).isEqualTo(MailboxException.Code.DISK_BUDGET);
      // appends to existing queues go on
      await(s.append(made.get(1).queueId(), new byte[] {1}));
    }
  }

  @Test
  void oneGroupCannotOvershootTheQueueBudget() throws Exception {
    try (RocksMailboxStore s = open(b -> b.maxQueues(5))) {
      List<CompletionStage<QueueRecord>> burst = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        burst.add(s.createQueue(secrets()));
      }
      int ok = 0;
      for (CompletionStage<QueueRecord> c : burst) {
        try {
          await(c);
          ok++;
        } catch (ExecutionException e) {
          assertThat(((MailboxException) e.getCause()).code())
              .isEqualTo(MailboxException.Code.DISK_BUDGET);
        }
      }
      assertThat(ok).isEqualTo(5);
      assertThat(await(s.stats()).queues()).isEqualTo(5);
    }
  }

  @Test
  void theDefaultDiskBudgetIsHalfTheFreeSpaceAtOpen() throws Exception {
    assertThat(MailboxConfig.builder(tmp.resolve("a"), tmp.resolve("b")).build().diskBudgetBytes())
        .isEqualTo(MailboxConfig.DISK_BUDGET_AUTO);
    try (RocksMailboxStore s = open(b -> b)) {
      long free = Files.getFileStore(tmp).getUsableSpace();
      long budget = s.writer().totals().diskBudget();
      assertThat(budget).isLessThan(Long.MAX_VALUE);
      // half the free space (which moves a little while other things write), plus the store
      assertThat((double) budget).isBetween(free * 0.4, free * 0.6 + (64L << 20));
    }
    try (RocksMailboxStore s = open(b -> b.diskBudgetBytes(123_456_789))) {
      assertThat(s.writer().totals().diskBudget()).isEqualTo(123_456_789);
    }
  }

  @Test
  void theDiskMeasureIsTheSstAndWalFilesOnDisk() throws Exception {
    // the budget's measure reads the WAL sizes from the directory (RocksDB's own WAL listing
    // opened every WAL on the writer thread); it must still see the WAL grow before any flush
    try (RocksMailboxStore s = open(b -> b)) {
      QueueRecord q = await(s.createQueue(secrets()));
      RocksEngine engine = s.writer().mutations().engine();
      long before = engine.diskBytes();
      for (int i = 0; i < 32; i++) {
        await(s.append(q.queueId(), new byte[MailboxConfig.DEFAULT_MAX_ENVELOPE_BYTES]));
      }
      long after = engine.diskBytes();
      assertThat(after - before)
          .isGreaterThanOrEqualTo(32L * MailboxConfig.DEFAULT_MAX_ENVELOPE_BYTES);
      assertThat(after).isEqualTo(filesOnDisk(tmp.resolve("store")));
    }
  }

  private static long filesOnDisk(Path dir) throws java.io.IOException {
    try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
      long total = 0;
      for (Path p : (Iterable<Path>) files::iterator) {
        String name = p.getFileName().toString();
        if (name.endsWith(".log") || name.endsWith(".sst")) {
          total += Files.size(p);
        }
      }
      return total;
    }
  }

  @Test
  void aNegativeDiskBudgetOrQueueBudgetIsAProgrammingError() {
    MailboxConfig.Builder b = MailboxConfig.builder(tmp.resolve("a"), tmp.resolve("b"));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> b.diskBudgetBytes(-1).build())
        .isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> b.diskBudgetBytes(0).maxQueues(0).build())
        .isInstanceOf(IllegalArgumentException.class);
  }
}
