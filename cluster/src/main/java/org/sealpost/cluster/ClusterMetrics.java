package org.sealpost.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A node's cluster meters, counts only: the members it sees, whether each shard is served (its own:
 * open and taking commands; another node's: its owner is a member), and the commands routed to each
 * shard by outcome. The {@code shard} tag is a number below the shard count, a closed set; nothing
 * names a queue, a node's address or a client.
 */
public final class ClusterMetrics implements ShardObserver {
  public static final String MEMBERS = "sealpost.cluster.members";
  public static final String SHARD_AVAILABLE = "sealpost.cluster.shard.available";
  public static final String COMMANDS = "sealpost.cluster.commands";
  public static final String TAG_SHARD = "shard";
  public static final String TAG_OUTCOME = "outcome";

  private final ShardMap map;
  private final String self;
  private final Supplier<Collection<String>> members;
  private final BooleanSupplier localServing;
  private final Counter[][] commands; // [shard][ok, unavailable, refused]

  /**
   * @param members the names of the current members
   * @param localServing whether this node's own shards are open and taking commands
   */
  public ClusterMetrics(
      MeterRegistry registry,
      ShardMap map,
      String self,
      Supplier<Collection<String>> members,
      BooleanSupplier localServing) {
    this.map = map;
    this.self = self;
    this.members = members;
    this.localServing = localServing;
    Gauge.builder(MEMBERS, () -> members.get().size())
        .description("Cluster members this node sees, itself included")
        .register(registry);
    commands = new Counter[map.shardCount()][];
    String[] outcomes = {"ok", "unavailable", "refused"};
    for (int shard = 0; shard < map.shardCount(); shard++) {
      int s = shard;
      Gauge.builder(SHARD_AVAILABLE, () -> available(s) ? 1 : 0)
          .description("1 while the shard is served (this node's: open; another's: owner joined)")
          .tag(TAG_SHARD, Integer.toString(shard))
          .register(registry);
      commands[shard] = new Counter[outcomes.length];
      for (int o = 0; o < outcomes.length; o++) {
        commands[shard][o] =
            Counter.builder(COMMANDS)
                .description("Commands this node routed to a shard, by outcome")
                .tag(TAG_SHARD, Integer.toString(shard))
                .tag(TAG_OUTCOME, outcomes[o])
                .register(registry);
      }
    }
  }

  /** Whether {@code shard} is served now, as this node sees it. */
  public boolean available(int shard) {
    String owner = map.ownerOf(shard);
    if (owner.equals(self)) {
      return localServing.getAsBoolean();
    }
    return members.get().contains(owner);
  }

  public int shardCount() {
    return map.shardCount();
  }

  /** The shards served now, as this node sees it. */
  public int availableCount() {
    int n = 0;
    for (int shard = 0; shard < map.shardCount(); shard++) {
      n += available(shard) ? 1 : 0;
    }
    return n;
  }

  @Override
  public void completed(int shard, Throwable failure) {
    Throwable t =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    int outcome = t == null ? 0 : ShardUnavailable.is(t) ? 1 : 2;
    commands[shard][outcome].increment();
  }
}
