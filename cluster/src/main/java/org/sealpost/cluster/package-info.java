/**
 * A relay cluster (issue 14): nodes that each own shards of the queues, each shard its own RocksDB
 * store. Shard tags live inside the relay-generated IDs ({@link org.sealpost.cluster.ShardTag}),
 * ownership is explicit configuration ({@link org.sealpost.cluster.ShardMap}), and {@link
 * org.sealpost.cluster.ShardedQueueService} routes every command to the shard that holds its queue.
 * The single-node relay never loads this module.
 */
package org.sealpost.cluster;
