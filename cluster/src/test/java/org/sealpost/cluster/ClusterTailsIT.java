package org.sealpost.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sealpost.cluster.TestQueues.authorize;
import static org.sealpost.cluster.TestQueues.create;
import static org.sealpost.cluster.TestQueues.envelope;
import static org.sealpost.cluster.TestQueues.join;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.cluster.LoopbackCluster.Running;
import org.sealpost.cluster.TestQueues.Queue;
import org.sealpost.mailbox.MailboxStore;
import org.sealpost.mailbox.QueueId;
import org.sealpost.mailbox.StoredEnvelope;

/**
 * Issue 14 (session 8): pending events carry their envelope, and a node reads a remote queue's
 * pending envelopes from its copy of the tail ({@link RemoteTails}) instead of over the bus. Two
 * nodes in one JVM (a owns shards 0-1, b 2-3), TLS event bus, real RocksDB; every queue here is on
 * b and used through a. What a answers from its copy must be what b's store answers.
 */
class ClusterTailsIT {
  private final ShardMap map = ShardMap.parse("a:0-1;b:2-3", 4);
  private LoopbackCluster cluster;
  private Running a;
  private Running b;

  @TempDir Path tmp;

  @BeforeEach
  void setUp() throws Exception {
    cluster = new LoopbackCluster(tmp, map, 2);
    a = cluster.start("a", 0);
    b = cluster.start("b", 1);
    LoopbackCluster.await(() -> a.node.memberNames().size() == 2);
    cluster.awaitAllShards(a);
    cluster.awaitAllShards(b);
    // each node checks the membership once a second and drops every tail when it changed: let
    // that check see the two-node cluster before the tests count reads
    Thread.sleep(2_500);
  }

  @AfterEach
  void tearDown() {
    cluster.close();
  }

  private MailboxStore ownerStore(QueueId q) {
    int shard = new ShardTag(cluster.key.tagKey(), 4).shardOf(q);
    assertThat(map.ownerOf(shard)).isEqualTo("b");
    return b.queues.stores().stores().get(shard);
  }

  private static List<Long> positions(List<StoredEnvelope> list) {
    return list.stream().map(StoredEnvelope::position).toList();
  }

  /** a's answer equals the owner's store's, envelope for envelope. */
  private void sameAsOwner(QueueId q, long after, int max) {
    List<StoredEnvelope> here = join(a.service().readPending(q, after, max));
    List<StoredEnvelope> owner = join(ownerStore(q).readPending(q, after, max));
    assertThat(positions(here)).isEqualTo(positions(owner));
    for (int i = 0; i < here.size(); i++) {
      assertThat(here.get(i).messageId()).isEqualTo(owner.get(i).messageId());
      assertThat(here.get(i).envelope()).isEqualTo(owner.get(i).envelope());
      assertThat(here.get(i).notBefore()).isEqualTo(owner.get(i).notBefore());
    }
  }

  private long hits() {
    return a.queues.tails().counts()[0];
  }

  private long misses() {
    return a.queues.tails().counts()[1];
  }

  private long pendingEventsAt(Running r, QueueId q) {
    return r.pending.stream().filter(q::equals).count();
  }

  @Test
  void envelopesCarriedInTheEventsArePushedFromTheTailInWindowsAndAckedOnTheOwner()
      throws Exception {
    Queue q = create(b.service(), cluster.random);
    QueueId id = authorize(a.service(), q).queueId();
    // the first event a node sees of a shard drops its tails (one before may have been missed)
    join(a.service().send(q.created().senderId(), envelope(0), null));
    LoopbackCluster.await(() -> pendingEventsAt(a, id) == 1);
    List<StoredEnvelope> first = join(a.service().readPending(id, 0, 8));
    assertThat(join(a.service().ack(id, first.get(0).messageId()))).isTrue();
    // the subscription's first read goes over the bus and starts the tail
    assertThat(join(a.service().readPending(id, 0, 8))).isEmpty();
    long missesAfterFirst = misses();
    long claimedBefore = a.queues.sent().counts()[0];
    for (int i = 1; i <= 20; i++) {
      join(a.service().send(q.created().senderId(), envelope(i), null));
    }
    LoopbackCluster.await(() -> pendingEventsAt(a, id) == 21);
    // issue 14 (session 11): sent from a, so b's events named a's tickets and a kept the bytes
    LoopbackCluster.await(() -> a.queues.sent().counts()[0] - claimedBefore == 20);
    assertThat(a.queues.sent().counts()[1]).isZero();
    assertThat(a.queues.sent().size()).isZero();
    assertThat(b.queues.origins().size()).isZero();

    // a window of 8 at a time, as a subscription's push reads: all from a's copy
    long hitsBefore = hits();
    List<StoredEnvelope> all = join(ownerStore(id).readPending(id, 0, 20));
    assertThat(all).hasSize(20);
    sameAsOwner(id, 0, 8);
    sameAsOwner(id, all.get(7).position(), 8);
    sameAsOwner(id, all.get(15).position(), 8); // the last 4: a short page
    sameAsOwner(id, all.get(19).position(), 8); // nothing after the last
    assertThat(hits() - hitsBefore).isEqualTo(4);
    assertThat(misses()).isEqualTo(missesAfterFirst);

    // the Acks go to the owner's store; a's copy forgets the envelopes they named
    for (StoredEnvelope e : all.subList(0, 8)) {
      assertThat(join(a.service().ack(id, e.messageId()))).isTrue();
    }
    assertThat(join(ownerStore(id).readPending(id, 0, 20))).hasSize(12);
    sameAsOwner(id, 0, 20);
    assertThat(join(a.service().ack(id, all.get(0).messageId()))).isFalse(); // already gone
    for (StoredEnvelope e : all.subList(8, 20)) {
      assertThat(join(a.service().ack(id, e.messageId()))).isTrue();
    }
    sameAsOwner(id, 0, 20);
    assertThat(join(a.service().readPending(id, 0, 20))).isEmpty();
    assertThat(misses()).isEqualTo(missesAfterFirst);
  }

  @Test
  void moreThanTheTailHoldsIsReadOverTheBusAndStillAgreesWithTheOwner() throws Exception {
    Queue q = create(b.service(), cluster.random);
    QueueId id = authorize(a.service(), q).queueId();
    assertThat(join(a.service().readPending(id, 0, 8))).isEmpty();
    int n = RemoteTails.MAX_ENTRIES + 6;
    for (int i = 1; i <= n; i++) {
      join(b.service().send(q.created().senderId(), envelope(i), null)); // sent on the owner
    }
    LoopbackCluster.await(() -> pendingEventsAt(a, id) == n);
    assertThat(a.queues.tails().size()).isZero(); // overflowed: dropped
    long missesBefore = misses();
    sameAsOwner(id, 0, 8);
    assertThat(misses()).isEqualTo(missesBefore + 1);
    List<StoredEnvelope> all = new java.util.ArrayList<>();
    while (all.size() < n) { // the store's pages are capped
      long after = all.isEmpty() ? 0 : all.get(all.size() - 1).position();
      all.addAll(join(ownerStore(id).readPending(id, after, n)));
    }
    for (int i = 0; i < n - 1; i++) {
      join(a.service().ack(id, all.get(i).messageId()));
    }
    // a short page over the bus makes a new tail; the next event extends it
    sameAsOwner(id, all.get(n - 2).position(), 8);
    join(a.service().send(q.created().senderId(), envelope(7), null));
    LoopbackCluster.await(() -> pendingEventsAt(a, id) == n + 1);
    long hitsBefore = hits();
    sameAsOwner(id, all.get(n - 2).position(), 8);
    assertThat(hits()).isEqualTo(hitsBefore + 1);
  }

  @Test
  void anEventForAQueueNotReadHereKeepsNothingAndAnUnavailableOwnerDropsTheCopy() throws Exception {
    Queue q = create(b.service(), cluster.random);
    QueueId id = authorize(a.service(), q).queueId();
    join(b.service().send(q.created().senderId(), envelope(1), null));
    LoopbackCluster.await(() -> pendingEventsAt(a, id) == 1);
    assertThat(a.queues.tails().size()).isZero();
    assertThat(a.queues.tails().bytes()).isZero();

    // over the bus, short: a tail now (again, should a membership check have dropped it)
    LoopbackCluster.await(
        () -> {
          sameAsOwner(id, 0, 8);
          return a.queues.tails().size() == 1;
        });
    List<StoredEnvelope> before = join(a.service().readPending(id, 0, 8));

    // the owner goes: the command fails as unavailable and the copy is dropped with the shard
    b.stop();
    assertThatThrownBy(() -> join(a.service().isFull(id)))
        .satisfies(e -> assertThat(ShardUnavailable.is(e.getCause())).isTrue());
    assertThat(a.queues.tails().size()).isZero();
    assertThatThrownBy(() -> join(a.service().readPending(id, 0, 8)))
        .satisfies(e -> assertThat(ShardUnavailable.is(e.getCause())).isTrue());

    // back with its store: what a reads again comes from the owner and is the same
    b = cluster.start("b", 1);
    LoopbackCluster.await(() -> a.node.memberNames().size() == 2);
    cluster.awaitAllShards(a);
    List<StoredEnvelope> after = join(a.service().readPending(id, 0, 8));
    assertThat(positions(after)).isEqualTo(positions(before));
    assertThat(Collections.frequency(a.node.memberNames(), "b")).isOne();
  }

  @Test
  void acksThatComeTogetherShareARequestAndEachIsAnsweredForItself() throws Exception {
    Queue q = create(b.service(), cluster.random);
    QueueId id = authorize(a.service(), q).queueId();
    for (int i = 1; i <= 40; i++) {
      join(b.service().send(q.created().senderId(), envelope(i), null));
    }
    List<StoredEnvelope> all = join(ownerStore(id).readPending(id, 0, 40));
    assertThat(all).hasSize(40);
    int shard = new ShardTag(cluster.key.tagKey(), 4).shardOf(id);
    RemoteQueueService route = a.queues.remote(shard);
    long alone = route.ackRequests();
    assertThat(join(a.service().ack(id, all.get(0).messageId()))).isTrue(); // a lone Ack: at once
    assertThat(route.ackRequests()).isEqualTo(alone + 1);

    // 41 Acks at once: one already gone, 38 to delete, one of a queue that does not exist
    byte[] unknown = new byte[QueueId.LENGTH];
    cluster.random.nextBytes(unknown);
    new ShardTag(cluster.key.tagKey(), 4).tagQueueId(unknown, shard);
    long before = route.ackRequests();
    List<java.util.concurrent.CompletableFuture<Boolean>> acks = new java.util.ArrayList<>();
    acks.add(a.service().ack(id, all.get(0).messageId()).toCompletableFuture());
    for (int i = 1; i < 39; i++) {
      acks.add(a.service().ack(id, all.get(i).messageId()).toCompletableFuture());
    }
    acks.add(a.service().ack(QueueId.of(unknown), all.get(39).messageId()).toCompletableFuture());
    assertThat(join(acks.get(0))).isFalse();
    for (int i = 1; i < 39; i++) {
      assertThat(join(acks.get(i))).isTrue();
    }
    assertThatThrownBy(() -> join(acks.get(39)))
        .satisfies(
            e ->
                assertThat(org.sealpost.relay.protocol.ErrorMapper.toErrorCode(e))
                    .isEqualTo(org.sealpost.proto.v1.ErrorCode.ERROR_CODE_AUTH));
    long requests = route.ackRequests() - before;
    assertThat(requests).as("bus requests for 40 Acks").isBetween(1L, 10L);
    // deleted on the owner: only the last envelope (its Ack named another queue) is left
    assertThat(join(ownerStore(id).readPending(id, 0, 40)))
        .extracting(StoredEnvelope::messageId)
        .containsExactly(all.get(39).messageId());
  }

  // issue 14 (session 9)
  @Test
  void sendsThatComeTogetherShareARequestAndEachIsAnsweredForItself() throws Exception {
    Queue q = create(b.service(), cluster.random);
    QueueId id = authorize(a.service(), q).queueId();
    byte[] sender = q.created().senderId();
    int shard = new ShardTag(cluster.key.tagKey(), 4).shardOf(id);
    RemoteQueueService route = a.queues.remote(shard);
    long alone = route.sendRequests();
    join(a.service().send(sender, envelope(1), null)); // a lone Send: at once
    assertThat(route.sendRequests()).isEqualTo(alone + 1);

    // 40 Sends at once through a: 39 to the queue, one (the 20th) from a sender ID nobody has
    byte[] unknown = new ShardTag(cluster.key.tagKey(), 4).newId(shard, cluster.random);
    long before = route.sendRequests();
    List<java.util.concurrent.CompletableFuture<Void>> sends = new java.util.ArrayList<>();
    for (int i = 2; i <= 41; i++) {
      byte[] from = i == 21 ? unknown : sender;
      sends.add(a.service().send(from, envelope(i), null).toCompletableFuture());
    }
    for (int i = 0; i < sends.size(); i++) {
      if (i == 19) {
        int slot = i;
        assertThatThrownBy(() -> join(sends.get(slot)))
            .satisfies(
                e ->
                    assertThat(org.sealpost.relay.protocol.ErrorMapper.toErrorCode(e))
                        .isEqualTo(org.sealpost.proto.v1.ErrorCode.ERROR_CODE_AUTH));
      } else {
        join(sends.get(i));
      }
    }
    long requests = route.sendRequests() - before;
    assertThat(requests).as("bus requests for 40 Sends").isBetween(1L, 10L);
    // all stored on the owner, the refused one left out (pipelined Sends are not ordered:
    // protocol.md, "Order")
    List<StoredEnvelope> stored = join(ownerStore(id).readPending(id, 0, 64));
    assertThat(stored).hasSize(40);
    java.util.Set<Integer> fills = new java.util.HashSet<>();
    stored.forEach(e -> fills.add((int) e.envelope()[0]));
    assertThat(fills).hasSize(40).doesNotContain(21).contains(1, 20, 22, 41);
    // and each was announced to a (the events came in batches)
    LoopbackCluster.await(() -> pendingEventsAt(a, id) == 40);
    sameAsOwner(id, 0, 64);
    // issue 14 (session 11): nothing kept for the refused Send, on either side
    LoopbackCluster.await(() -> a.queues.sent().size() == 0);
    assertThat(b.queues.origins().size()).isZero();
  }
}
