package org.sealpost.cluster;

import org.sealpost.relay.queue.QueueService;

/** The shards other nodes own, as seen from this node. */
public interface RemoteShards {
  /** No peers: every shard this node does not own is unavailable. */
  RemoteShards NONE = shard -> null;

  /** The command path to {@code shard}'s owner, or {@code null} while the owner is unreachable. */
  QueueService forShard(int shard);
}
