package org.sealpost.cluster;

/** Told how each routed command ended, by shard (for counts; never the queue). */
@FunctionalInterface
public interface ShardObserver {
  ShardObserver NONE = (shard, failure) -> {};

  /**
   * @param shard the shard the command went to
   * @param failure why it failed, or {@code null}
   */
  void completed(int shard, Throwable failure);
}
