package org.sealpost.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.security.SecureRandom;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.sealpost.mailbox.MailboxStore;
import org.sealpost.relay.RelayEnvironment;
import org.sealpost.relay.SystemDns;
import org.sealpost.relay.config.ClusterConfig;
import org.sealpost.relay.config.RelayConfig;
import org.sealpost.relay.queue.ClusterBackend;
import org.sealpost.relay.queue.QueueEvents;
import org.sealpost.relay.queue.QueueService;

/**
 * The relay's cluster node (found by the relay through {@link java.util.ServiceLoader} when {@code
 * cluster.node} is set): joins with a clustered Vert.x of its own beside the relay's (the relay's
 * sessions hop back to their own contexts, as they do for store completions), opens this node's
 * shard stores and routes the command path over the cluster.
 */
public final class RelayClusterBackend implements ClusterBackend {
  /** The cluster settings of a relay configuration; the shard map is checked here. */
  static ClusterSettings settings(ClusterConfig c) {
    ShardMap map;
    try {
      map = ShardMap.parse(c.shards(), c.shardCount());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("cluster.shards: " + e.getMessage(), e);
    }
    return new ClusterSettings(
        c.node(),
        map,
        new ClusterKey(c.keyCert(), c.key()),
        c.host(),
        c.port(),
        c.busPort(),
        c.members(),
        c.commandTimeout());
  }

  /** The node's own Vert.x; reads the resolver configuration, so not on an event loop. */
  private static VertxOptions nodeOptions(RelayConfig config) {
    return new VertxOptions()
        .setEventLoopPoolSize(Math.max(1, config.eventLoops()))
        .setPreferNativeTransport(false)
        .setAddressResolverOptions(SystemDns.options());
  }

  @Override
  public Future<Node> start(RelayEnvironment environment, Wiring wiring, QueueEvents sink) {
    RelayConfig config = environment.config();
    Vertx relay = environment.vertx();
    SecureRandom random = new SecureRandom();
    AtomicBoolean serving = new AtomicBoolean();
    return relay
        .executeBlocking(() -> settings(config.cluster()))
        .compose(
            settings ->
                relay
                    .executeBlocking(() -> ClusterNode.join(settings, nodeOptions(config)))
                    .compose(f -> f)
                    .compose(
                        node -> {
                          ClusterMetrics metrics =
                              new ClusterMetrics(
                                  environment.meterRegistry(),
                                  settings.shards(),
                                  settings.node(),
                                  node::memberNames,
                                  () -> serving.get() && node.running());
                          return relay
                              .executeBlocking(
                                  () ->
                                      ClusterQueues.start(
                                          node,
                                          settings,
                                          config.dataDir(),
                                          wiring::storeConfig,
                                          wiring::localService,
                                          sink,
                                          random,
                                          metrics))
                              .compose(f -> f)
                              .compose(queues -> queues.prepare().map(v -> queues))
                              .<Node>map(
                                  queues -> {
                                    serving.set(true);
                                    return new Running(relay, node, queues, metrics, serving);
                                  })
                              .onFailure(e -> node.leave());
                        }));
  }

  /** A running node: its membership and its shards. */
  private static final class Running implements Node {
    private final Vertx relay;
    private final ClusterNode node;
    private final ClusterQueues queues;
    private final ClusterMetrics metrics;
    private final AtomicBoolean serving;

    Running(
        Vertx relay,
        ClusterNode node,
        ClusterQueues queues,
        ClusterMetrics metrics,
        AtomicBoolean serving) {
      this.relay = relay;
      this.node = node;
      this.queues = queues;
      this.metrics = metrics;
      this.serving = serving;
    }

    @Override
    public QueueService service() {
      return queues.service();
    }

    @Override
    public Map<Integer, MailboxStore> stores() {
      return new TreeMap<>(queues.stores().stores());
    }

    @Override
    public boolean ready() {
      return serving.get() && node.running();
    }

    @Override
    public String healthDetail() {
      int shards = node.running() ? metrics.availableCount() : 0;
      int members = node.running() ? node.memberNames().size() : 0;
      return "shards served: "
          + shards
          + " of "
          + metrics.shardCount()
          + "\nmembers: "
          + members
          + "\n";
    }

    @Override
    public Future<Void> stop() {
      serving.set(false);
      return queues
          .release()
          .compose(v -> queues.unregister())
          .recover(e -> Future.succeededFuture())
          .compose(
              v ->
                  relay.<Void>executeBlocking(
                      () -> {
                        queues.close(); // finishes the writes already submitted
                        return null;
                      }))
          .eventually(node::leave);
    }
  }
}
