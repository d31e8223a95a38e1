package org.sealpost.mailbox.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.mailbox.MailboxConfig;
import org.sealpost.mailbox.MailboxException;
import org.sealpost.mailbox.QueueRecord;
import org.sealpost.mailbox.QueueSecrets;
import org.sealpost.mailbox.StoredEnvelope;

/**
 * Many producers and consumers on many queues at once: every envelope is delivered exactly once and
 * in order per queue (a consumer acks what it read before reading on).
 */
class ConcurrentQueuesTest {
  private static final int QUEUES = 48;
  private static final int PRODUCERS = 8;
  private static final int CONSUMERS = 4;
  private static final int PER_QUEUE = 60;

  @TempDir Path tmp;

  @Test
  void concurrentProducersAndConsumersLoseDuplicateAndReorderNothing() throws Exception {
    MailboxConfig config =
        MailboxConfig.builder(tmp.resolve("data"), tmp.resolve("key"))
            .queueMessageQuota(16)
            .activeQueueCacheSize(20) // forces state eviction and reload under load
            .build();
    ExecutorService pool = Executors.newFixedThreadPool(PRODUCERS + CONSUMERS);
    try (RocksMailboxStore store = RocksMailboxStore.opener(config).open()) {
      List<QueueRecord> queues = new ArrayList<>();
      for (int i = 0; i < QUEUES; i++) {
        byte[] k = new byte[32];
        queues.add(store.createQueue(new QueueSecrets(k, k)).toCompletableFuture().join());
      }
      AtomicLong quotaRefusals = new AtomicLong();
      List<Future<?>> producers = new ArrayList<>();
      for (int p = 0; p < PRODUCERS; p++) {
        int first = p;
        producers.add(
            pool.submit(
                () -> {
                  // producer p owns queues p, p+PRODUCERS, ...: it sends each queue's numbers in
                  // order
                  for (int n = 0; n < PER_QUEUE; n++) {
                    for (int q = first; q < QUEUES; q += PRODUCERS) {
                      while (true) {
                        try {
                          store
                              .append(queues.get(q).queueId(), encode(q, n))
                              .toCompletableFuture()
                              .join();
                          break;
                        } catch (java.util.concurrent.CompletionException e) {
                          assertThat(((MailboxException) e.getCause()).isQuota()).isTrue();
                          quotaRefusals.incrementAndGet();
                          Thread.onSpinWait();
                        }
                      }
                    }
                  }
                  return null;
                }));
      }
      List<Future<List<int[]>>> consumers = new ArrayList<>();
      for (int c = 0; c < CONSUMERS; c++) {
        int first = c;
        consumers.add(
            pool.submit(
                () -> {
                  List<int[]> seen = new ArrayList<>();
                  int[] next = new int[QUEUES];
                  int remaining = 0;
                  for (int q = first; q < QUEUES; q += CONSUMERS) {
                    remaining += PER_QUEUE;
                  }
                  while (remaining > 0) {
                    for (int q = first; q < QUEUES; q += CONSUMERS) {
                      List<StoredEnvelope> page =
                          store
                              .readPending(queues.get(q).queueId(), 0, 8)
                              .toCompletableFuture()
                              .join();
                      List<CompletableFuture<Boolean>> acks = new ArrayList<>();
                      for (StoredEnvelope e : page) {
                        ByteBuffer b = ByteBuffer.wrap(e.envelope());
                        seen.add(new int[] {b.getInt(), b.getInt()});
                        next[q]++;
                        remaining--;
                        acks.add(
                            store
                                .ack(queues.get(q).queueId(), e.messageId())
                                .toCompletableFuture());
                      }
                      for (CompletableFuture<Boolean> a : acks) {
                        assertThat(a.join()).isTrue();
                      }
                    }
                  }
                  return seen;
                }));
      }
      for (Future<?> f : producers) {
        f.get(120, TimeUnit.SECONDS);
      }
      int[] expected = new int[QUEUES];
      for (Future<List<int[]>> f : consumers) {
        for (int[] e : f.get(120, TimeUnit.SECONDS)) {
          assertThat(e[1]).as("in order, once").isEqualTo(expected[e[0]]);
          expected[e[0]]++;
        }
      }
      for (int q = 0; q < QUEUES; q++) {
        assertThat(expected[q]).isEqualTo(PER_QUEUE);
        assertThat(store.readPending(queues.get(q).queueId(), 0, 8).toCompletableFuture().join())
            .isEmpty();
      }
      assertThat(store.stats().toCompletableFuture().join().envelopes()).isZero();
    } finally {
      pool.shutdownNow();
    }
  }

  private static byte[] encode(int queue, int n) {
    return ByteBuffer.allocate(64).putInt(queue).putInt(n).array();
  }
}
