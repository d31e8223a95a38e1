package org.sealpost.mailbox.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.mailbox.Appended;
import org.sealpost.mailbox.MailboxConfig;
import org.sealpost.mailbox.MessageId;
import org.sealpost.mailbox.QueueId;
import org.sealpost.mailbox.QueueSecrets;
import org.sealpost.mailbox.StoredEnvelope;
import org.sealpost.mailbox.SyncPolicy;

/**
 * An ack that the queue's short memory of recent appends does not know scans the queue's keys from
 * its floor ({@code QueueState.scanFrom}), not from 1, so it no longer walks the tombstones of
 * every envelope delivered since the last flush (issue 13). The floor must never pass a live
 * envelope: acks in any order, in shared groups, across evictions of the queue's state and reopens
 * of the store, answer as a model says, and the pending lists stay exactly the model's.
 */
class AckScanFloorTest {
  @TempDir Path tmp;

  private MailboxConfig config(int activeQueues) {
    return MailboxConfig.builder(tmp.resolve("s"), tmp.resolve("s.key"))
        .syncPolicy(SyncPolicy.NEVER)
        .queueMessageQuota(100_000)
        .queueByteQuota(100_000L * 64)
        .activeQueueCacheSize(activeQueues)
        .build();
  }

  @Test
  void fifoAcksRaiseTheFloorPastEveryDeliveredEnvelope() throws Exception {
    try (RocksMailboxStore s = RocksMailboxStore.opener(config(64)).open()) {
      QueueId q = newQueue(s);
      List<Appended> appended = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        appended.add(get(s.append(q, new byte[64])));
      }
      // the first 90, oldest first: the first 92 are long gone from the recent memory (8 entries)
      for (int i = 0; i < 90; i++) {
        assertThat(get(s.ack(q, appended.get(i).messageId()))).isTrue();
      }
      assertThat(s.writer().mutations().scanFromOf(q)).isEqualTo(appended.get(90).position());
      // an ack of an older one, out of order, leaves the floor where it is
      assertThat(get(s.ack(q, appended.get(95).messageId()))).isTrue();
      assertThat(s.writer().mutations().scanFromOf(q)).isEqualTo(appended.get(90).position());
      assertThat(get(s.ack(q, appended.get(90).messageId()))).isTrue();
      assertThat(s.writer().mutations().scanFromOf(q)).isEqualTo(appended.get(91).position());
    }
  }

  @Test
  void theFloorIsRebuiltFromTheFirstStoredEnvelopeAfterAReopen() throws Exception {
    QueueId q;
    List<Appended> appended = new ArrayList<>();
    try (RocksMailboxStore s = RocksMailboxStore.opener(config(64)).open()) {
      q = newQueue(s);
      for (int i = 0; i < 30; i++) {
        appended.add(get(s.append(q, new byte[64])));
      }
      for (int i = 0; i < 20; i++) {
        get(s.ack(q, appended.get(i).messageId()));
      }
    }
    try (RocksMailboxStore s = RocksMailboxStore.opener(config(64)).open()) {
      // the reopened store learns the queue's state at its first write: an ack of the oldest
      assertThat(get(s.ack(q, appended.get(20).messageId()))).isTrue();
      assertThat(s.writer().mutations().scanFromOf(q)).isEqualTo(appended.get(21).position());
    }
  }

  @Test
  void acksInAnyOrderAnswerAsTheModelSaysAcrossEvictionsAndReopens() throws Exception {
    Random rnd = new Random(20261206L);
    int queues = 4;
    List<QueueId> ids = new ArrayList<>();
    // per queue: pending envelopes by position, and IDs acked already
    List<TreeMap<Long, MessageId>> pending = new ArrayList<>();
    List<List<MessageId>> acked = new ArrayList<>();
    for (int epoch = 0; epoch < 3; epoch++) {
      // a state cache of 2 queues: the states of 4 busy queues are evicted and rebuilt all along
      try (RocksMailboxStore s = RocksMailboxStore.opener(config(2)).open()) {
        if (epoch == 0) {
          for (int i = 0; i < queues; i++) {
            ids.add(newQueue(s));
            pending.add(new TreeMap<>());
            acked.add(new ArrayList<>());
          }
        }
        for (int round = 0; round < 150; round++) {
          runRound(s, rnd, ids, pending, acked);
        }
        for (int i = 0; i < queues; i++) {
          Map<Long, MessageId> seen = new TreeMap<>();
          long after = 0;
          for (List<StoredEnvelope> page = get(s.readPending(ids.get(i), after, 64));
              !page.isEmpty();
              page = get(s.readPending(ids.get(i), after, 64))) { // a page at a time
            for (StoredEnvelope e : page) {
              seen.put(e.position(), e.messageId());
              after = e.position();
            }
          }
          Map<Long, MessageId> missing = new TreeMap<>(pending.get(i));
          missing.keySet().removeAll(seen.keySet());
          Map<Long, MessageId> extra = new TreeMap<>(seen);
          extra.keySet().removeAll(pending.get(i).keySet());
          assertThat(seen)
              .as(
                  "queue %d after epoch %d: missing %s, extra %s",
                  i, epoch, missing.keySet(), extra.keySet())
              .isEqualTo(pending.get(i));
        }
      }
    }
  }

  /**
   * Up to 12 operations submitted together (so that several share a group): appends, acks of
   * pending envelopes anywhere in the queue (mostly near its head), acks of envelopes acked before,
   * each checked against the model. No two operations of a round touch the same envelope.
   */
  private static void runRound(
      RocksMailboxStore s,
      Random rnd,
      List<QueueId> ids,
      List<TreeMap<Long, MessageId>> pending,
      List<List<MessageId>> acked)
      throws Exception {
    List<CompletableFuture<Appended>> appends = new ArrayList<>();
    List<Integer> appendQueue = new ArrayList<>();
    List<CompletableFuture<Boolean>> acks = new ArrayList<>();
    List<Boolean> expected = new ArrayList<>();
    Map<MessageId, Integer> ackedNow = new HashMap<>();
    int ops = 1 + rnd.nextInt(12);
    for (int k = 0; k < ops; k++) {
      int qi = rnd.nextInt(ids.size());
      QueueId q = ids.get(qi);
      TreeMap<Long, MessageId> p = pending.get(qi);
      int kind = rnd.nextInt(10);
      if (kind < 5 || p.isEmpty()) {
        appends.add(s.append(q, new byte[64]).toCompletableFuture());
        appendQueue.add(qi);
      } else if (kind < 9) {
        List<Long> positions = new ArrayList<>(p.keySet());
        // mostly one of the oldest (FIFO delivery), sometimes any
        int at =
            kind < 7 ? rnd.nextInt(Math.min(3, positions.size())) : rnd.nextInt(positions.size());
        MessageId id = p.get(positions.get(at));
        if (ackedNow.containsKey(id)) {
          continue;
        }
        ackedNow.put(id, qi);
        acks.add(s.ack(q, id).toCompletableFuture());
        expected.add(true);
      } else if (!acked.get(qi).isEmpty()) {
        MessageId id = acked.get(qi).get(rnd.nextInt(acked.get(qi).size()));
        acks.add(s.ack(q, id).toCompletableFuture());
        expected.add(false);
      }
    }
    for (int i = 0; i < appends.size(); i++) {
      Appended a = appends.get(i).get(30, TimeUnit.SECONDS);
      pending.get(appendQueue.get(i)).put(a.position(), a.messageId());
    }
    for (int i = 0; i < acks.size(); i++) {
      assertThat(acks.get(i).get(30, TimeUnit.SECONDS)).isEqualTo(expected.get(i));
    }
    ackedNow.forEach(
        (id, qi) -> {
          pending.get(qi).values().remove(id);
          acked.get(qi).add(id);
        });
  }

  private static QueueId newQueue(RocksMailboxStore s) throws Exception {
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    return get(s.createQueue(new QueueSecrets(k, k))).queueId();
  }

  private static <T> T get(java.util.concurrent.CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
