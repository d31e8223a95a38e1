package org.sealpost.mailbox.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.PerfContext;
import org.sealpost.mailbox.BalancedLookup;
import org.sealpost.mailbox.IdKind;
import org.sealpost.mailbox.MailboxConfig;
import org.sealpost.mailbox.QueueId;
import org.sealpost.mailbox.QueueRecord;
import org.sealpost.mailbox.QueueSecrets;

/**
 * Design invariant 7 at the storage layer: a lookup of an ID that names no queue does the same
 * RocksDB work as one that finds a queue — one seek of the ID index, two point reads of present
 * keys returning the same bytes, no bloom filter consulted — whether the found ID sits in a
 * memtable or in SST files. Counted with RocksDB's per-thread perf counters; the store's read tasks
 * run on the test thread.
 */
class BalancedLookupTest {
  private final SecureRandom random = new SecureRandom();
  private RocksMailboxStore store;

  @TempDir Path tmp;

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  /** What one lookup cost, from the perf counters. */
  private record Cost(
      long seeks, long gets, long getBytes, long iterBytes, long blooms, boolean found) {}

  private Cost cost(IdKind kind, byte[] id, QueueId decoy) {
    RocksEngine engine = store.writer().mutations().engine();
    PerfContext c = engine.countOnThisThreadForTest();
    BalancedLookup r = await(store.lookupBalanced(kind, id, decoy));
    return new Cost(
        c.getSeekOnMemtableCount(),
        c.getFromMemtableCount(),
        c.getReadBytes(),
        c.getIterReadBytes(),
        c.getBloomSstHitCount()
            + c.getBloomSstMissCount()
            + c.getBloomMemtableHitCount()
            + c.getBloomMemtableMissCount(),
        r.found().isPresent());
  }

  @Test
  void aMissDoesTheWorkOfAHitInMemtablesAndInFiles() {
    MailboxConfig config =
        MailboxConfig.builder(tmp.resolve("data"), tmp.resolve("master.key"))
            .shredWindow(Duration.ofMillis(200))
            .build();
    store = RocksMailboxStore.opener(config).readExecutor(Runnable::run).open();
    QueueRecord decoy = await(store.createQueue(secrets()));
    List<QueueRecord> inFiles = create(200);
    await(store.nextShredCompletion()); // flushes every family to SST files
    List<QueueRecord> inMemtable = create(50);

    List<Cost> costs = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      QueueRecord a = inFiles.get(random.nextInt(inFiles.size()));
      QueueRecord b = inMemtable.get(random.nextInt(inMemtable.size()));
      Cost hitFile = cost(IdKind.SENDER, a.senderId(), decoy.queueId());
      Cost hitMem = cost(IdKind.RECIPIENT, b.recipientId(), decoy.queueId());
      Cost miss = cost(IdKind.SENDER, id(), decoy.queueId());
      while (miss.iterBytes() == 0) {
        // The seek ran past the last index entry (index keys are HMACs: about one miss in 500
        // here). It reads the decoy instead, with the same seek and point reads, but has no entry
        // to copy out; drawn again so the comparison below is between landings.
        assertThat(new long[] {miss.seeks(), miss.gets(), miss.blooms()}).containsExactly(1, 2, 0);
        miss = cost(IdKind.SENDER, id(), decoy.queueId());
      }
      assertThat(hitFile.found()).isTrue();
      assertThat(hitMem.found()).isTrue();
      assertThat(miss.found()).isFalse();
      costs.add(hitFile);
      costs.add(hitMem);
      costs.add(miss);
    }
    Cost first = costs.get(0);
    assertThat(first.seeks()).as("one seek of the ID index").isEqualTo(1);
    assertThat(first.gets()).as("the record and its key: two point reads").isEqualTo(2);
    assertThat(first.getBytes()).as("the point reads return the record and its key").isPositive();
    assertThat(first.iterBytes()).as("the seek copies an entry out").isPositive();
    for (Cost c : costs) {
      assertThat(new long[] {c.seeks(), c.gets(), c.getBytes(), c.iterBytes(), c.blooms()})
          .as("a hit in a file, a hit in a memtable and a miss cost the same")
          .containsExactly(first.seeks(), first.gets(), first.getBytes(), first.iterBytes(), 0);
    }
  }

  private List<QueueRecord> create(int n) {
    List<QueueRecord> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(await(store.createQueue(secrets())));
    }
    return out;
  }

  private byte[] id() {
    byte[] b = new byte[QueueRecord.ID_LENGTH];
    random.nextBytes(b);
    return b;
  }

  private QueueSecrets secrets() {
    return new QueueSecrets(id(), id());
  }

  private static <T> T await(CompletionStage<T> stage) {
    return stage.toCompletableFuture().join();
  }
}
