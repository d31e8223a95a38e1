package org.sealpost.cluster;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.sealpost.mailbox.MessageId;
import org.sealpost.mailbox.QueueId;
import org.sealpost.mailbox.StoredEnvelope;
import org.sealpost.relay.queue.AuthorizedQueue;
import org.sealpost.relay.queue.CreatedQueue;
import org.sealpost.relay.queue.QueueService;

/**
 * The command path of a cluster node: each command goes to the shard that holds its queue, read
 * from the ID's tag ({@link ShardTag}); the node's own shards run locally, the others go to their
 * owner ({@link RemoteShards}), and a shard nobody serves now answers {@link ShardUnavailable}. New
 * queues go to this node's own shards in turn. Holds no queue ID: routing is computed.
 */
public final class ShardedQueueService implements QueueService {
  private final ShardTag tag;
  private final Map<Integer, QueueService> local;
  private final int[] localShards;
  private final RemoteShards remote;
  private final ShardObserver observer;
  private final AtomicInteger nextCreate = new AtomicInteger();

  /**
   * @param tag the cluster's shard tag
   * @param local this node's shards and their local command paths
   * @param remote the other shards
   */
  public ShardedQueueService(ShardTag tag, Map<Integer, QueueService> local, RemoteShards remote) {
    this(tag, local, remote, ShardObserver.NONE);
  }

  /**
   * @param observer told how each command ended, by shard (metrics)
   */
  public ShardedQueueService(
      ShardTag tag, Map<Integer, QueueService> local, RemoteShards remote, ShardObserver observer) {
    this.observer = Objects.requireNonNull(observer, "observer");
    this.tag = Objects.requireNonNull(tag, "tag");
    this.local = Map.copyOf(local);
    this.localShards = this.local.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
    this.remote = Objects.requireNonNull(remote, "remote");
  }

  private <T> CompletionStage<T> route(int shard, Function<QueueService, CompletionStage<T>> op) {
    QueueService s = local.get(shard);
    if (s == null) {
      s = remote.forShard(shard);
    }
    CompletionStage<T> result =
        s == null ? CompletableFuture.failedFuture(ShardUnavailable.exception()) : op.apply(s);
    return result.whenComplete((v, failure) -> observer.completed(shard, failure));
  }

  @Override
  public CompletionStage<CreatedQueue> create(byte[] recipientDhPublic) {
    if (localShards.length == 0) {
      // a node without shards of its own creates on the others, in turn
      int shard = Math.floorMod(nextCreate.getAndIncrement(), tag.shardCount());
      return route(shard, s -> s.create(recipientDhPublic));
    }
    int shard = localShards[Math.floorMod(nextCreate.getAndIncrement(), localShards.length)];
    return route(shard, s -> s.create(recipientDhPublic));
  }

  @Override
  public CompletionStage<AuthorizedQueue> authorize(
      byte[] recipientId, byte[] handshakeHash, byte[] command, byte[] mac) {
    return route(
        tag.shardOf(recipientId), s -> s.authorize(recipientId, handshakeHash, command, mac));
  }

  @Override
  public CompletionStage<Void> secure(QueueId queue, byte[] sendToken) {
    return route(tag.shardOf(queue), s -> s.secure(queue, sendToken));
  }

  @Override
  public CompletionStage<Void> send(byte[] senderId, byte[] envelope, byte[] sendToken) {
    return route(tag.shardOf(senderId), s -> s.send(senderId, envelope, sendToken));
  }

  @Override
  public CompletionStage<List<StoredEnvelope>> readPending(
      QueueId queue, long afterPosition, int maxCount) {
    return route(tag.shardOf(queue), s -> s.readPending(queue, afterPosition, maxCount));
  }

  @Override
  public CompletionStage<Boolean> isFull(QueueId queue) {
    return route(tag.shardOf(queue), s -> s.isFull(queue));
  }

  @Override
  public CompletionStage<Boolean> ack(QueueId queue, MessageId messageId) {
    return route(tag.shardOf(queue), s -> s.ack(queue, messageId));
  }

  @Override
  public CompletionStage<Void> delete(QueueId queue) {
    return route(tag.shardOf(queue), s -> s.delete(queue));
  }
}
