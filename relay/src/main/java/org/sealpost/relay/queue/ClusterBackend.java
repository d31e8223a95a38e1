package org.sealpost.relay.queue;

import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.Map;
import org.sealpost.mailbox.MailboxConfig;
import org.sealpost.mailbox.MailboxStore;
import org.sealpost.relay.RelayEnvironment;

/**
 * The command path of a relay that is a cluster node (issue 14), provided by the cluster module
 * through {@link java.util.ServiceLoader}: the relay module itself has no cluster manager on its
 * class path, and a single relay (no {@code cluster.node}) never looks for one.
 */
public interface ClusterBackend {
  /** The file in a shard directory naming the shard and the cluster's shard count. */
  String SHARD_MARKER = "shard";

  /**
   * The directory of a node's shard {@code shard}: {@code <data-dir>/shards/<n>/}, holding {@code
   * store/}, {@code store.key} and {@value #SHARD_MARKER} (here so that backups, in the relay
   * module, find the shards where the cluster module keeps them).
   */
  static Path shardDir(Path dataDir, int shard) {
    return shardsDir(dataDir).resolve(Integer.toString(shard));
  }

  /** The directory holding a node's shard directories: {@code <data-dir>/shards/}. */
  static Path shardsDir(Path dataDir) {
    return dataDir.resolve("shards");
  }

  /**
   * Joins the cluster named by {@code environment.config().cluster()}, checks the membership
   * against the shard map, opens this node's shard stores and starts routing. Blocking parts run
   * off the relay's event loops.
   *
   * @param wiring how the relay builds a shard's store settings and local command path
   * @param sink this node's subscription hub (events of every shard end there)
   */
  Future<Node> start(RelayEnvironment environment, Wiring wiring, QueueEvents sink);

  /** What the relay hands the cluster: its own construction of one store's command path. */
  interface Wiring {
    /** The store settings of a shard store at {@code storeDir} with its key file. */
    MailboxConfig storeConfig(Path storeDir, Path keyFile);

    /**
     * The local command path of one shard store, exactly as a single relay builds it (rates,
     * schedule, key workers); the caller prepares and releases it.
     */
    LocalQueueService localService(MailboxStore store, QueueEvents events);
  }

  /** A running cluster node. */
  interface Node {
    /** The command path over every shard, local or not. */
    QueueService service();

    /** This node's shard stores, by shard. */
    Map<Integer, MailboxStore> stores();

    /**
     * Whether this node serves: its own shards are open and taking commands and it is a member.
     * Another node's shard being down does not make this node unready (it still serves the rest).
     */
    boolean ready();

    /** Lines for {@code /health}: shards served and members seen, counts only. */
    String healthDetail();

    /** Stops routing, closes the shard stores (finishing their writes) and leaves the cluster. */
    Future<Void> stop();
  }
}
