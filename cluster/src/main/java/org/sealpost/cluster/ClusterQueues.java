package org.sealpost.cluster;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.EventBus;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.sealpost.mailbox.MailboxConfig;
import org.sealpost.mailbox.MailboxStore;
import org.sealpost.relay.queue.LocalQueueService;
import org.sealpost.relay.queue.QueueEvents;
import org.sealpost.relay.queue.QueueService;

/**
 * A node's command path in a cluster, put together: its shards' stores and local services, the
 * endpoint taking other nodes' commands for them, the remote services of the other shards, and the
 * listener bringing other shards' events to this node's subscription hub.
 */
public final class ClusterQueues implements AutoCloseable {
  private final ShardStores stores;
  private final ShardEndpoint endpoint;
  private final ShardEvents events;
  private final ShardedQueueService service;
  private final List<LocalQueueService> locals;
  private final RemoteTails tails;
  private final SentEnvelopes sent;
  private final SendOrigins origins;
  private final Map<Integer, RemoteQueueService> remote;
  private final Runnable stopSweep;

  private ClusterQueues(
      ShardStores stores,
      ShardEndpoint endpoint,
      ShardEvents events,
      ShardedQueueService service,
      List<LocalQueueService> locals,
      RemoteTails tails,
      SentEnvelopes sent,
      SendOrigins origins,
      Map<Integer, RemoteQueueService> remote,
      Runnable stopSweep) {
    this.stores = stores;
    this.endpoint = endpoint;
    this.events = events;
    this.service = service;
    this.locals = locals;
    this.tails = tails;
    this.sent = sent;
    this.origins = origins;
    this.remote = remote;
    this.stopSweep = stopSweep;
  }

  /**
   * Opens this node's shard stores (blocking: call off the event loop) and registers the routes.
   *
   * @param configFor store settings for a shard's store directory and key file
   * @param localService the local command path of one shard's store, telling the given events
   * @param sink this node's subscription hub
   */
  public static Future<ClusterQueues> start(
      ClusterNode node,
      ClusterSettings settings,
      Path dataDir,
      BiFunction<Path, Path, MailboxConfig> configFor,
      BiFunction<MailboxStore, QueueEvents, LocalQueueService> localService,
      QueueEvents sink,
      SecureRandom random) {
    return start(
        node, settings, dataDir, configFor, localService, sink, random, ShardObserver.NONE);
  }

  /**
   * As above, telling {@code observer} how each routed command ended.
   *
   * @param observer counts by shard (metrics)
   */
  public static Future<ClusterQueues> start(
      ClusterNode node,
      ClusterSettings settings,
      Path dataDir,
      BiFunction<Path, Path, MailboxConfig> configFor,
      BiFunction<MailboxStore, QueueEvents, LocalQueueService> localService,
      QueueEvents sink,
      SecureRandom random,
      ShardObserver observer) {
    EventBus bus = node.vertx().eventBus();
    ShardMap map = settings.shards();
    ShardTag tag = new ShardTag(settings.key().tagKey(), map.shardCount());
    List<Integer> mine = map.shardsOf(settings.node());
    // issue 14 (session 11): nodes by index, the same on every node (the map's order)
    List<String> nodes = List.copyOf(map.nodes());
    SendOrigins origins = new SendOrigins();
    SentEnvelopes sent = new SentEnvelopes();
    ShardStores stores = ShardStores.open(dataDir, mine, tag, configFor, random);
    Map<Integer, QueueService> local = new HashMap<>();
    List<LocalQueueService> locals = new ArrayList<>();
    stores
        .stores()
        .forEach(
            (shard, store) -> {
              LocalQueueService s =
                  localService.apply(
                      store,
                      ShardEndpoint.publisher(
                          node.vertx(), shard, sink, nodes, settings.node(), origins));
              local.put(shard, s);
              locals.add(s);
            });
    Map<Integer, RemoteQueueService> remote = new HashMap<>();
    List<Integer> others = new ArrayList<>();
    // issue 14 (session 8): remote queues' tails, kept from the envelopes the events carry
    RemoteTails tails = new RemoteTails();
    for (int shard = 0; shard < map.shardCount(); shard++) {
      if (!local.containsKey(shard)) {
        others.add(shard);
        remote.put(
            shard,
            new RemoteQueueService(
                bus,
                shard,
                settings.commandTimeout(),
                tails,
                sent,
                nodes.indexOf(settings.node())));
      }
    }
    ShardedQueueService service = new ShardedQueueService(tag, local, remote::get, observer);
    return ShardEndpoint.register(bus, local, origins)
        .compose(
            endpoint ->
                ShardEvents.listen(bus, others, settings.node(), sink, tails, sent)
                    .map(
                        events -> {
                          long timer = node.vertx().setPeriodic(1000, watch(node, tails, sent));
                          return new ClusterQueues(
                              stores,
                              endpoint,
                              events,
                              service,
                              locals,
                              tails,
                              sent,
                              origins,
                              remote,
                              () -> node.vertx().cancelTimer(timer));
                        }))
        .onFailure(e -> stores.close());
  }

  /**
   * Once a second: a change of membership drops every remote tail and every envelope kept for its
   * event (events may have been lost with a member); every tenth second the tails past their life
   * are dropped.
   */
  private static Handler<Long> watch(ClusterNode node, RemoteTails tails, SentEnvelopes sent) {
    List<String> seen = new ArrayList<>(node.memberNames());
    int[] ticks = {0};
    return id -> {
      List<String> now = node.running() ? node.memberNames() : List.of();
      if (!now.equals(seen)) {
        tails.dropAll();
        sent.clear();
        seen.clear();
        seen.addAll(now);
      }
      if (++ticks[0] % 10 == 0) {
        tails.sweep();
      }
    };
  }

  /** The command path to another node's shard (for tests). */
  RemoteQueueService remote(int shard) {
    return remote.get(shard);
  }

  /** This node's copy of remote queues' tails (for tests and benchmarks). */
  RemoteTails tails() {
    return tails;
  }

  /** The envelopes this node sent, kept for their events (for tests and benchmarks). */
  SentEnvelopes sent() {
    return sent;
  }

  /** The Sends from other nodes this node stores, until their events (for tests). */
  SendOrigins origins() {
    return origins;
  }

  /** The command path: every shard, local or not. */
  public QueueService service() {
    return service;
  }

  /** This node's shard stores. */
  public ShardStores stores() {
    return stores;
  }

  /** Makes each local shard's decoy queue (equal-time lookups); call before serving. */
  public Future<Void> prepare() {
    List<Future<Void>> done = new ArrayList<>();
    locals.forEach(l -> done.add(Future.fromCompletionStage(l.prepare())));
    return Future.all(done).mapEmpty();
  }

  /** Deletes the local shards' decoy queues; call before {@link #close}. */
  public Future<Void> release() {
    List<Future<Void>> done = new ArrayList<>();
    locals.forEach(l -> done.add(Future.fromCompletionStage(l.release())));
    return Future.all(done).<Void>mapEmpty().recover(e -> Future.succeededFuture());
  }

  /** Stops taking other nodes' commands and events; the stores stay open until {@link #close}. */
  public Future<Void> unregister() {
    stopSweep.run();
    return Future.all(endpoint.unregister(), events.close()).mapEmpty();
  }

  @Override
  public void close() {
    stores.close();
  }
}
