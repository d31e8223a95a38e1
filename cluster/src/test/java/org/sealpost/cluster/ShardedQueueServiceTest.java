package org.sealpost.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sealpost.cluster.TestQueues.ENVELOPE;
import static org.sealpost.cluster.TestQueues.authorize;
import static org.sealpost.cluster.TestQueues.create;
import static org.sealpost.cluster.TestQueues.envelope;
import static org.sealpost.cluster.TestQueues.join;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.cluster.TestQueues.Queue;
import org.sealpost.mailbox.MailboxConfig;
import org.sealpost.mailbox.QueueId;
import org.sealpost.mailbox.StoredEnvelope;
import org.sealpost.mailbox.rocksdb.RocksMailboxStore;
import org.sealpost.proto.crypto.CryptoException;
import org.sealpost.proto.crypto.RandomSource;
import org.sealpost.proto.v1.ErrorCode;
import org.sealpost.relay.queue.AuthorizedQueue;
import org.sealpost.relay.queue.LocalQueueService;
import org.sealpost.relay.queue.QueueEvents;
import org.sealpost.relay.queue.QueueException;
import org.sealpost.relay.queue.QueueService;

/**
 * Two nodes in one process, each with real RocksDB shard stores: node A owns shards 0 and 1, node B
 * shards 2 and 3; A reaches B's shards through B's command path (the event bus comes later).
 */
class ShardedQueueServiceTest {
  private final SecureRandom random = new SecureRandom();
  private final ShardTag tag = new ShardTag(new byte[32], 4);
  private final ShardMap map = ShardMap.parse("a:0-1;b:2-3", 4);
  private final AtomicBoolean bUp = new AtomicBoolean(true);
  private ExecutorService keys;
  private ShardStores storesA;
  private ShardStores storesB;
  private ShardedQueueService a;
  private ShardedQueueService b;

  @TempDir Path dirA;
  @TempDir Path dirB;

  @BeforeEach
  void start() {
    keys = Executors.newFixedThreadPool(2);
    storesA = open(dirA, "a");
    storesB = open(dirB, "b");
    b = new ShardedQueueService(tag, local(storesB), RemoteShards.NONE);
    a = new ShardedQueueService(tag, local(storesA), shard -> bUp.get() ? b : null);
  }

  @AfterEach
  void stop() throws InterruptedException {
    storesA.close();
    storesB.close();
    keys.shutdown();
    keys.awaitTermination(10, TimeUnit.SECONDS);
  }

  private ShardStores open(Path dir, String node) {
    return ShardStores.open(
        dir,
        map.shardsOf(node),
        tag,
        (store, key) ->
            MailboxConfig.builder(store, key)
                .maxEnvelopeBytes(ENVELOPE)
                .diskBudgetBytes(64L << 20)
                .build(),
        random);
  }

  private Map<Integer, QueueService> local(ShardStores stores) {
    Map<Integer, QueueService> out = new HashMap<>();
    QueueEvents none =
        new QueueEvents() {
          @Override
          public void pending(QueueId queue) {}

          @Override
          public void quotaReached(QueueId queue) {}
        };
    stores
        .stores()
        .forEach(
            (shard, store) ->
                out.put(shard, new LocalQueueService(store, RandomSource.of(random), keys, none)));
    return out;
  }

  @Test
  void newQueuesGoToTheNodesOwnShardsInTurn() throws CryptoException {
    int[] seen = new int[4];
    for (int i = 0; i < 6; i++) {
      Queue q = create(a, random);
      int shard = tag.shardOf(q.created().recipientId());
      assertThat(tag.shardOf(q.created().senderId())).isEqualTo(shard);
      assertThat(tag.shardOf(authorize(a, q).queueId())).isEqualTo(shard);
      seen[shard]++;
    }
    assertThat(seen).containsExactly(3, 3, 0, 0);
  }

  @Test
  void commandsForAnotherNodesQueueRunInItsStore() throws CryptoException {
    Queue q = create(b, random);
    // sent through A, read through A: the envelope lives in B's store only
    join(a.send(q.created().senderId(), envelope(7), null));
    AuthorizedQueue auth = authorize(a, q);
    int shard = tag.shardOf(auth.queueId());
    assertThat(map.ownerOf(shard)).isEqualTo("b");
    RocksMailboxStore bStore = storesB.stores().get(shard);
    List<StoredEnvelope> inB = join(bStore.readPending(auth.queueId(), 0, 10));
    assertThat(inB).hasSize(1);
    List<StoredEnvelope> viaA = join(a.readPending(auth.queueId(), 0, 10));
    assertThat(viaA.get(0).envelope()).isEqualTo(envelope(7));
    assertThat(join(a.ack(auth.queueId(), viaA.get(0).messageId()))).isTrue();
    assertThat(join(bStore.readPending(auth.queueId(), 0, 10))).isEmpty();
    assertThat(join(a.ack(auth.queueId(), viaA.get(0).messageId()))).isFalse();
  }

  @Test
  void unknownIdsAreAuthOnEveryShard() {
    for (int i = 0; i < 20; i++) {
      byte[] id = new byte[32];
      random.nextBytes(id);
      assertThatThrownBy(() -> join(a.send(id, envelope(1), null)))
          .isInstanceOf(CompletionException.class)
          .hasCauseInstanceOf(QueueException.class)
          .satisfies(
              e ->
                  assertThat(((QueueException) e.getCause()).code())
                      .isEqualTo(ErrorCode.ERROR_CODE_AUTH));
    }
  }

  @Test
  void aDownOwnersShardsAnswerRetryableErrorOthersServe() throws CryptoException {
    Queue remote = create(b, random);
    Queue mine = create(a, random);
    bUp.set(false);
    assertThatThrownBy(() -> join(a.send(remote.created().senderId(), envelope(2), null)))
        .satisfies(e -> assertThat(ShardUnavailable.is(e.getCause())).isTrue())
        .satisfies(
            e ->
                assertThat(((QueueException) e.getCause()).code())
                    .isEqualTo(ErrorCode.ERROR_CODE_STORE));
    join(a.send(mine.created().senderId(), envelope(3), null));
    assertThat(join(a.readPending(authorize(a, mine).queueId(), 0, 10))).hasSize(1);
    // back: the remote queue serves again, nothing of the refused send was stored
    bUp.set(true);
    AuthorizedQueue auth = authorize(a, remote);
    assertThat(join(a.readPending(auth.queueId(), 0, 10))).isEmpty();
  }

  @Test
  void aNodeWithoutShardsCreatesOnItsPeers() throws CryptoException {
    ShardedQueueService front = new ShardedQueueService(tag, Map.of(), shard -> shard >= 2 ? b : a);
    int[] seen = new int[4];
    for (int i = 0; i < 8; i++) {
      seen[tag.shardOf(create(front, random).created().recipientId())]++;
    }
    assertThat(seen).containsExactly(2, 2, 2, 2);
  }
}
