package org.sealpost.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How this node joins the cluster.
 *
 * @param node this node's name in the shard map
 * @param shards the shard map
 * @param key the cluster key
 * @param host the address Hazelcast and the event bus bind to (never a wildcard)
 * @param hazelcastPort Hazelcast's membership port on {@code host}
 * @param eventBusPort the event bus's TLS port on {@code host}
 * @param members the other nodes' Hazelcast addresses, {@code host:port}
 * @param commandTimeout how long a command waits for a shard's owner before it is refused as
 *     unavailable
 */
public record ClusterSettings(
    String node,
    ShardMap shards,
    ClusterKey key,
    String host,
    int hazelcastPort,
    int eventBusPort,
    List<String> members,
    Duration commandTimeout) {
  public ClusterSettings {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(shards, "shards");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(host, "host");
    if (host.equals("0.0.0.0") || host.equals("::") || host.isBlank()) {
      throw new IllegalArgumentException("cluster.host must be one address, not a wildcard");
    }
    members = List.copyOf(members);
    Objects.requireNonNull(commandTimeout, "commandTimeout");
  }
}
