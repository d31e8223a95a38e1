package org.sealpost.cluster;

import static org.sealpost.cluster.TestQueues.ENVELOPE;
import static org.sealpost.cluster.TestQueues.join;

import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.sealpost.mailbox.MailboxConfig;
import org.sealpost.mailbox.QueueId;
import org.sealpost.proto.crypto.RandomSource;
import org.sealpost.relay.crypto.TlsCertificates;
import org.sealpost.relay.queue.LocalQueueService;
import org.sealpost.relay.queue.QueueEvents;
import org.sealpost.relay.queue.QueueService;

/**
 * Cluster nodes in one JVM for the tests: each its own Hazelcast member and clustered Vert.x on
 * 127.0.0.1 with the TLS event bus and real RocksDB shard stores under {@code dir}. Member {@code
 * i} of the shard map is started on Hazelcast port {@code hzPorts[i]}.
 */
final class LoopbackCluster implements AutoCloseable {
  final SecureRandom random = new SecureRandom();
  final ShardMap map;
  final ClusterKey key;
  final int[] hzPorts;
  private final Path dir;
  private final ExecutorService keys = Executors.newFixedThreadPool(2);
  private final List<Running> running = new ArrayList<>();

  /** One started node. */
  final class Running {
    final ClusterNode node;
    final ClusterQueues queues;
    final List<QueueId> pending;

    Running(ClusterNode node, ClusterQueues queues, List<QueueId> pending) {
      this.node = node;
      this.queues = queues;
      this.pending = pending;
    }

    QueueService service() {
      return queues.service();
    }

    void stop() {
      running.remove(this);
      join(queues.release().toCompletionStage());
      join(queues.unregister().toCompletionStage());
      join(node.leave().toCompletionStage());
      queues.close();
    }
  }

  /**
   * @param members how many Hazelcast ports to reserve (nodes that may start)
   */
  LoopbackCluster(Path dir, ShardMap map, int members) throws IOException {
    this.dir = dir;
    this.map = map;
    this.key = makeKey(dir.resolve("key"));
    this.hzPorts = new int[members];
    for (int i = 0; i < members; i++) {
      hzPorts[i] = freePort();
    }
  }

  ClusterKey makeKey(Path keyDir) throws IOException {
    Files.createDirectories(keyDir);
    TlsCertificates.CertificatePaths p =
        new TlsCertificates(random, Clock.systemUTC())
            .loadOrCreateSelfSigned(keyDir, "sealpost-cluster");
    return new ClusterKey(p.certificate(), p.privateKey());
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  Running start(String name, int index) throws IOException {
    return start(name, index, key, dir.resolve(name));
  }

  Running start(String name, int index, ClusterKey k) throws IOException {
    return start(name, index, k, dir.resolve(name));
  }

  Running start(String name, int index, ClusterKey k, Path data) throws IOException {
    List<String> members = new ArrayList<>();
    for (int p : hzPorts) {
      members.add("127.0.0.1:" + p);
    }
    return start(name, index, k, data, members, freePort(), new VertxOptions());
  }

  /**
   * The general form: {@code members} and the event bus's {@code busPort} as given, {@code base}
   * for the clustered Vert.x (e.g. an advertised event-bus port).
   */
  Running start(
      String name,
      int index,
      ClusterKey k,
      Path data,
      List<String> members,
      int busPort,
      VertxOptions base)
      throws IOException {
    ClusterSettings s =
        new ClusterSettings(
            name, map, k, "127.0.0.1", hzPorts[index], busPort, members, Duration.ofSeconds(2));
    ClusterNode node = join(ClusterNode.join(s, base).toCompletionStage());
    List<QueueId> pending = new CopyOnWriteArrayList<>();
    QueueEvents sink =
        new QueueEvents() {
          @Override
          public void pending(QueueId queue) {
            pending.add(queue);
          }

          @Override
          public void quotaReached(QueueId queue) {}
        };
    ClusterQueues queues =
        join(
            ClusterQueues.start(
                    node,
                    s,
                    data,
                    (store, keyFile) ->
                        MailboxConfig.builder(store, keyFile)
                            .maxEnvelopeBytes(ENVELOPE)
                            .diskBudgetBytes(64L << 20)
                            .build(),
                    (store, events) ->
                        new LocalQueueService(store, RandomSource.of(random), keys, events),
                    sink,
                    random)
                .toCompletionStage());
    // the decoy queues that balance lookups, as the relay makes them before serving
    join(queues.prepare().toCompletionStage());
    Running r = new Running(node, queues, pending);
    running.add(r);
    return r;
  }

  static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met in 20 s");
      }
      Thread.sleep(50);
    }
  }

  /** Until every shard answers through {@code r} (what readiness waits for after a join). */
  void awaitAllShards(Running r) throws InterruptedException {
    ShardTag tag = new ShardTag(key.tagKey(), map.shardCount());
    await(
        () -> {
          for (int shard = 0; shard < map.shardCount(); shard++) {
            byte[] q = new byte[QueueId.LENGTH];
            tag.tagQueueId(q, shard);
            try {
              join(r.service().isFull(QueueId.of(q)));
            } catch (CompletionException e) {
              if (ShardUnavailable.is(e.getCause())) {
                return false;
              }
            }
          }
          return true;
        });
  }

  @Override
  public void close() {
    for (Running r : new ArrayList<>(running)) {
      r.stop();
    }
    keys.shutdownNow();
  }
}
