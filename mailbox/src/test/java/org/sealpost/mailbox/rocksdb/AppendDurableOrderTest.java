package org.sealpost.mailbox.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.mailbox.Appended;
import org.sealpost.mailbox.MailboxConfig;
import org.sealpost.mailbox.QueueId;
import org.sealpost.mailbox.QueueSecrets;
import org.sealpost.mailbox.StoredEnvelope;
import org.sealpost.mailbox.SyncPolicy;

/**
 * Issue 14: {@code append}'s {@code onDurable} sees the appends of a queue in position order, on
 * the completion thread, before each append's stage completes — whichever threads append. (A
 * callback attached to the stage instead ran on the appending thread whenever the stage was already
 * complete, after later appends' callbacks: a cluster node's copy of the queue's tail then took
 * position X+1 before X, and a push moved past X for good.)
 */
class AppendDurableOrderTest {
  @TempDir Path tmp;

  @Test
  void appendsFromManyThreadsAreToldInPositionOrderBeforeTheirStagesComplete() throws Exception {
    MailboxConfig config =
        MailboxConfig.builder(tmp.resolve("s"), tmp.resolve("s.key"))
            .syncPolicy(SyncPolicy.NEVER) // many groups, quickly
            .queueMessageQuota(100_000)
            .queueByteQuota(100_000L * 64)
            .build();
    ExecutorService appenders = Executors.newFixedThreadPool(8);
    try (RocksMailboxStore s = RocksMailboxStore.opener(config).open()) {
      byte[] k = new byte[32];
      new SecureRandom().nextBytes(k);
      QueueId q = s.createQueue(new QueueSecrets(k, k)).toCompletableFuture().get().queueId();
      List<Long> told = new ArrayList<>();
      List<String> threads = new ArrayList<>();
      AtomicBoolean toldLate = new AtomicBoolean();
      List<CompletableFuture<Appended>> all = new ArrayList<>();
      for (int i = 0; i < 4_000; i++) {
        CompletableFuture<Appended> done = new CompletableFuture<>();
        all.add(done);
        appenders.execute(
            () -> {
              AtomicBoolean toldYet = new AtomicBoolean();
              s.append(
                      q,
                      new byte[64],
                      0,
                      (StoredEnvelope e) -> {
                        synchronized (told) {
                          told.add(e.position());
                          threads.add(Thread.currentThread().getName());
                        }
                        toldYet.set(true);
                      })
                  .whenComplete(
                      (a, f) -> {
                        if (!toldYet.get()) {
                          toldLate.set(true);
                        }
                        if (f != null) {
                          done.completeExceptionally(f);
                        } else {
                          done.complete(a);
                        }
                      });
            });
      }
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      assertThat(toldLate).as("a stage completed before its append was told").isFalse();
      synchronized (told) {
        assertThat(told).hasSize(4_000).isSorted().doesNotHaveDuplicates();
        assertThat(threads).allMatch(t -> t.startsWith("sealpost-mailbox-writer"));
      }
      List<Long> positions = new ArrayList<>();
      for (CompletableFuture<Appended> f : all) {
        positions.add(f.get().position());
      }
      assertThat(positions).containsExactlyInAnyOrderElementsOf(told);
    } finally {
      appenders.shutdownNow();
    }
  }
}
