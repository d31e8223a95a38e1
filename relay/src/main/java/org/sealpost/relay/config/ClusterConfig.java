package org.sealpost.relay.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A relay cluster node's settings (issue 14; {@link Setting} documents each). The relay only
 * carries them: the cluster module, found through {@code ClusterBackend}, parses the shard map and
 * joins. {@link #enabled()} is false for a single relay, which starts no cluster manager.
 *
 * @param node this node's name in the shard map; empty = single relay
 * @param shards the shard map as written ({@code node:shards;node:shards})
 * @param shardCount the number of shards
 * @param keyCert the cluster key's PEM certificate (empty path when single)
 * @param key the cluster key's PEM private key (empty path when single)
 * @param host the address the cluster ports bind to
 * @param port Hazelcast's membership port
 * @param busPort the event bus's TLS port
 * @param members membership addresses to join, {@code host:port}
 * @param commandTimeout how long a command waits for its shard's owner
 */
public record ClusterConfig(
    String node,
    String shards,
    int shardCount,
    Path keyCert,
    Path key,
    String host,
    int port,
    int busPort,
    List<String> members,
    Duration commandTimeout) {
  public ClusterConfig {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(shards, "shards");
    Objects.requireNonNull(keyCert, "keyCert");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(host, "host");
    members = List.copyOf(members);
    Objects.requireNonNull(commandTimeout, "commandTimeout");
  }

  /** A single relay: no cluster. */
  public static ClusterConfig single() {
    return new ClusterConfig(
        "", "", 1, Path.of(""), Path.of(""), "", 0, 0, List.of(), Duration.ofSeconds(2));
  }

  /** Whether this relay is a cluster node. */
  public boolean enabled() {
    return !node.isEmpty();
  }
}
