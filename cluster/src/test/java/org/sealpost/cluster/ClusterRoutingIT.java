package org.sealpost.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sealpost.cluster.TestQueues.authorize;
import static org.sealpost.cluster.TestQueues.create;
import static org.sealpost.cluster.TestQueues.envelope;
import static org.sealpost.cluster.TestQueues.join;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.cluster.LoopbackCluster.Running;
import org.sealpost.cluster.TestQueues.Queue;
import org.sealpost.mailbox.StoredEnvelope;
import org.sealpost.relay.queue.AuthorizedQueue;

/**
 * Two nodes in one JVM, each its own Hazelcast member and clustered Vert.x on 127.0.0.1 with the
 * TLS event bus and real RocksDB shard stores: node a owns shards 0-1, node b shards 2-3.
 */
class ClusterRoutingIT {
  private final ShardMap map = ShardMap.parse("a:0-1;b:2-3", 4);
  private LoopbackCluster cluster;
  private SecureRandom random;
  private ClusterKey key;

  @TempDir Path tmp;

  @BeforeEach
  void setUp() throws IOException {
    cluster = new LoopbackCluster(tmp, map, 3);
    random = cluster.random;
    key = cluster.key;
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    cluster.close();
  }

  private Running start(String name, int index, ClusterKey k) throws IOException {
    return cluster.start(name, index, k);
  }

  private ClusterKey makeKey(Path dir) throws IOException {
    return cluster.makeKey(dir);
  }

  private static void await(java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    LoopbackCluster.await(condition);
  }

  private void awaitAllShards(Running r) throws InterruptedException {
    cluster.awaitAllShards(r);
  }

  @Test
  void aCommandForAnotherNodesShardRunsOnItsOwnerAndThePushComesBack() throws Exception {
    Running a = start("a", 0, key);
    Running b = start("b", 1, key);
    await(() -> a.node.memberNames().size() == 2);
    awaitAllShards(a);
    assertThat(a.node.memberNames()).containsExactlyInAnyOrder("a", "b");

    // created on b's shards through b, used through a
    Queue q = create(b.service(), random);
    AuthorizedQueue auth = authorize(a.service(), q);
    ShardTag tag = new ShardTag(key.tagKey(), 4);
    int shard = tag.shardOf(auth.queueId());
    assertThat(map.ownerOf(shard)).isEqualTo("b");

    join(a.service().send(q.created().senderId(), envelope(5), null));
    // the pending event reaches a's hub (where the subscriber would be)
    await(() -> a.pending.contains(auth.queueId()));
    List<StoredEnvelope> got = join(a.service().readPending(auth.queueId(), 0, 10));
    assertThat(got).hasSize(1);
    assertThat(got.get(0).envelope()).isEqualTo(envelope(5));
    assertThat(join(a.service().isFull(auth.queueId()))).isFalse();

    // the ack through a deletes it in b's store
    assertThat(join(a.service().ack(auth.queueId(), got.get(0).messageId()))).isTrue();
    assertThat(join(b.queues.stores().stores().get(shard).readPending(auth.queueId(), 0, 10)))
        .isEmpty();

    // a made-up ID is AUTH through the cluster too
    byte[] unknown = new byte[32];
    random.nextBytes(unknown);
    assertThatThrownBy(() -> join(a.service().send(unknown, envelope(1), null)))
        .isInstanceOf(CompletionException.class)
        .satisfies(
            e ->
                assertThat(org.sealpost.relay.protocol.ErrorMapper.toErrorCode(e))
                    .isEqualTo(org.sealpost.proto.v1.ErrorCode.ERROR_CODE_AUTH));
  }

  @Test
  void aDownOwnersShardsAreRetryableAndComeBackIntact() throws Exception {
    Running a = start("a", 0, key);
    Running b = start("b", 1, key);
    await(() -> a.node.memberNames().size() == 2);
    awaitAllShards(a);
    Queue remote = create(b.service(), random);
    Queue mine = create(a.service(), random);
    join(a.service().send(remote.created().senderId(), envelope(1), null));
    join(a.service().send(remote.created().senderId(), envelope(2), null));
    AuthorizedQueue rAuth = authorize(a.service(), remote);
    List<StoredEnvelope> first = join(a.service().readPending(rAuth.queueId(), 0, 1));
    assertThat(join(a.service().ack(rAuth.queueId(), first.get(0).messageId()))).isTrue();

    b.stop();
    assertThatThrownBy(() -> join(a.service().send(remote.created().senderId(), envelope(3), null)))
        .satisfies(e -> assertThat(ShardUnavailable.is(e.getCause())).isTrue());
    // a's own queue is unaffected
    join(a.service().send(mine.created().senderId(), envelope(4), null));
    assertThat(join(a.service().readPending(authorize(a.service(), mine).queueId(), 0, 10)))
        .hasSize(1);

    Running b2 = start("b", 1, key);
    await(() -> a.node.memberNames().size() == 2);
    await(
        () -> {
          try {
            join(a.service().isFull(rAuth.queueId()));
            return true;
          } catch (CompletionException e) {
            return false;
          }
        });
    // acknowledged stays gone, unacknowledged is still there
    List<StoredEnvelope> after = join(a.service().readPending(rAuth.queueId(), 0, 10));
    assertThat(after).extracting(StoredEnvelope::envelope).containsExactly(envelope(2));
    assertThat(b2.queues.stores().stores()).containsOnlyKeys(2, 3);
  }

  @Test
  void aNodeWithoutTheClusterKeyCannotJoin() throws Exception {
    Running a = start("a", 0, key);
    ClusterKey other = makeKey(tmp.resolve("other-key"));
    Running stranger = start("b", 1, other);
    Thread.sleep(3000); // time it would take to join
    assertThat(a.node.memberNames()).containsExactly("a");
    assertThat(stranger.node.memberNames()).containsExactly("b");
    // a's shards do not answer the stranger
    byte[] id = new ShardTag(other.tagKey(), 4).newId(0, random);
    assertThatThrownBy(() -> join(stranger.service().send(id, envelope(1), null)))
        .satisfies(e -> assertThat(ShardUnavailable.is(e.getCause())).isTrue());
  }

  @Test
  void theClusterManagersDataHoldsNoQueueIdKeyOrEnvelopeAfterTraffic() throws Exception {
    Running a = start("a", 0, key);
    Running b = start("b", 1, key);
    await(() -> a.node.memberNames().size() == 2);
    awaitAllShards(a);
    // canaries: a queue on b used through a, a subscriber's pending event, an ack
    Queue q = create(b.service(), random);
    AuthorizedQueue auth = authorize(a.service(), q);
    byte[] canaryEnvelope = envelope(0x5c);
    join(a.service().send(q.created().senderId(), canaryEnvelope, null));
    await(() -> a.pending.contains(auth.queueId()));
    List<StoredEnvelope> got = join(a.service().readPending(auth.queueId(), 0, 10));
    join(a.service().ack(auth.queueId(), got.get(0).messageId()));

    List<byte[]> canaries =
        List.of(
            q.created().recipientId(),
            q.created().senderId(),
            q.created().relayDhPublic(),
            auth.queueId().bytes(),
            auth.deliveryKey(),
            q.macKey(),
            java.util.Arrays.copyOf(canaryEnvelope, 24));
    for (Running r : List.of(a, b)) {
      String dump = ClusterDump.of(r.node.hazelcast());
      assertThat(dump).contains("sealpost.shard."); // the dump does see Vert.x's registrations
      for (byte[] c : canaries) {
        for (String form : ClusterDump.forms(c)) {
          assertThat(dump).as("cluster manager data").doesNotContain(form);
        }
      }
      // the only event-bus addresses the cluster manager holds are per shard (and, for the event
      // batches, per shard and node name: issue 14, session 11)
      assertThat(ClusterDump.addresses(r.node.hazelcast()))
          .allSatisfy(s -> assertThat(s).matches("sealpost\\.shard\\.\\d+(\\.events(\\.[ab])?)?"));
    }
  }
}
