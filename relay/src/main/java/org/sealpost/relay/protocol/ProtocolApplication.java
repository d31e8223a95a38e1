package org.sealpost.relay.protocol;

import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.Executor;
import java.util.function.UnaryOperator;
import org.sealpost.mailbox.MailboxConfig;
import org.sealpost.mailbox.MailboxStore;
import org.sealpost.mailbox.QueueId;
import org.sealpost.mailbox.SyncPolicy;
import org.sealpost.mailbox.rocksdb.RocksMailboxStore;
import org.sealpost.proto.crypto.RandomSource;
import org.sealpost.proto.crypto.ReplayGuard;
import org.sealpost.relay.RelayApplication;
import org.sealpost.relay.RelayEnvironment;
import org.sealpost.relay.config.ForwardSettings;
import org.sealpost.relay.config.RelayConfig;
import org.sealpost.relay.delivery.DeliverySchedule;
import org.sealpost.relay.delivery.LocalSubscriptionRegistry;
import org.sealpost.relay.delivery.SubscriptionHub;
import org.sealpost.relay.forward.ForwardPool;
import org.sealpost.relay.metrics.RelayMetrics;
import org.sealpost.relay.queue.ClusterBackend;
import org.sealpost.relay.queue.LocalQueueService;
import org.sealpost.relay.queue.QueueEvents;
import org.sealpost.relay.queue.QueueService;
import org.sealpost.relay.transport.SessionHandlerFactory;

/**
 * The relay's default application (found by {@code RelayMain} through {@link
 * java.util.ServiceLoader}): protocol v1 over the local RocksDB store. It opens the store in {@code
 * <data-dir>/store} (master key {@code <data-dir>/store.key}, outside the store directory), builds
 * the command path and the one subscription registry shared by every listener instance, and closes
 * the store on {@link #stop()}.
 */
public final class ProtocolApplication implements RelayApplication {
  /** Worker threads for CreateQueue's key agreement: it must not run on an event loop. */
  private static final int KEY_WORKERS = 2;

  private final UnaryOperator<ProtocolSettings> tuning;
  private final Instrumentation instrumentation;
  private volatile MailboxStore store;
  private volatile boolean stopped;
  private volatile QueueService queueService;
  private WorkerExecutor keyWorkers;
  private ForwardPool forwardPool;
  private Vertx vertx;
  // issue 10: the timer of timed batches' rounds, or -1
  private long roundTimer = -1;
  // issue 14: set when this relay is a cluster node
  private volatile ClusterBackend.Node clusterNode;

  /** The production application, with the limits derived from the configuration. */
  public ProtocolApplication() {
    this(UnaryOperator.identity());
  }

  /**
   * An application whose protocol limits are adjusted after they are derived from the configuration
   * (tests, benchmarks).
   */
  public ProtocolApplication(UnaryOperator<ProtocolSettings> tuning) {
    this(tuning, Instrumentation.NONE);
  }

  /**
   * An application whose command path and session factory are wrapped by {@code instrumentation}
   * (the leakage lab's operator view), everything else as configured.
   */
  public ProtocolApplication(
      UnaryOperator<ProtocolSettings> tuning, Instrumentation instrumentation) {
    this.tuning = Objects.requireNonNull(tuning, "tuning");
    this.instrumentation = Objects.requireNonNull(instrumentation, "instrumentation");
  }

  /** The store settings for a relay configuration, allowed to create a missing store. */
  public static MailboxConfig mailboxConfig(RelayConfig config) {
    return mailboxConfig(config, true);
  }

  /**
   * The store settings for a relay configuration: the relay-wide budgets ({@code store.max-queues},
   * {@code store.max-mib}) and whether a missing store may be created.
   */
  public static MailboxConfig mailboxConfig(RelayConfig config, boolean createIfMissing) {
    Path dataDir = config.dataDir();
    return mailboxConfig(
        config, dataDir.resolve("store"), dataDir.resolve("store.key"), createIfMissing);
  }

  /** The store settings for a store at {@code storeDir} (a cluster node has one per shard). */
  public static MailboxConfig mailboxConfig(
      RelayConfig config, Path storeDir, Path keyFile, boolean createIfMissing) {
    return MailboxConfig.builder(storeDir, keyFile)
        .syncPolicy(SyncPolicy.ALWAYS)
        .maxEnvelopeBytes(config.envelopeSize())
        .queueMessageQuota(config.queueQuota())
        .queueByteQuota((long) config.queueQuota() * config.envelopeSize())
        .envelopeTtl(config.queueTtl())
        .idleQueueTtl(config.queueIdleExpiry())
        // issue 12: queues never secured expire sooner
        .unsecuredQueueTtl(config.queueUnsecuredExpiry())
        .pendingCacheBytes((long) config.pendingCacheMib() << 20)
        .maxQueues(config.storeMaxQueues())
        // 0 is MailboxConfig.DISK_BUDGET_AUTO: half the free space at open
        .diskBudgetBytes((long) config.storeMaxMib() << 20)
        .createIfMissing(createIfMissing)
        .build();
  }

  @Override
  public Future<SessionHandlerFactory> start(RelayEnvironment environment) {
    vertx = environment.vertx();
    RelayConfig config = environment.config();
    ProtocolSettings settings = tuning.apply(ProtocolSettings.from(config));
    SecureRandom random = new SecureRandom();
    keyWorkers = vertx.createSharedWorkerExecutor("sealpost-queue-keys", KEY_WORKERS);
    Executor keyExecutor =
        task ->
            keyWorkers.executeBlocking(
                () -> {
                  task.run();
                  return null;
                },
                false);
    LocalSubscriptionRegistry<QueueId> registry = new LocalSubscriptionRegistry<>();
    Gauge.builder(RelayMetrics.SUBSCRIPTIONS_ACTIVE, registry, r -> r.size())
        .description("Queues bound to a session")
        .register(environment.meterRegistry());
    SubscriptionHub hub = new SubscriptionHub(registry);
    // issue 10: one schedule for the times stored at Send and the checks at delivery
    DeliverySchedule schedule = DeliverySchedule.of(config.timing());
    QueueEvents events = timedEvents(hub, schedule);
    Future<QueueService> commandPath;
    // issue 14: a cluster node's command path spans the cluster's shards
    if (config.cluster().enabled()) {
      commandPath = startCluster(environment, random, keyExecutor, schedule, events);
    } else {
      commandPath = startSingle(environment, random, keyExecutor, schedule, events);
    }
    return commandPath
        .onFailure(e -> keyWorkers.close())
        .map(
            service -> {
              queueService = service;
              if (schedule.batchIntervalMillis() > 0) {
                long t = schedule.batchIntervalMillis();
                roundTimer = vertx.setPeriodic(t, t, id -> schedule.round());
              }
              // borrowed, not copied: the relay's private key stays in one object, which
              // RelayShutdown destroys once after this application has stopped
              // issue 11: two-hop sending, first relay (pool) and destination (replay memory)
              ForwardSettings forward = config.forward();
              Forwarding forwarding = Forwarding.disabled();
              if (forward.enabled()) {
                forwardPool = new ForwardPool(vertx, forward, random);
                forwarding =
                    new Forwarding(
                        forward,
                        forwardPool,
                        new ReplayGuard(Clock.systemUTC(), RandomSource.of(random)),
                        keyExecutor);
              }
              ProtocolSessionHandlerFactory factory =
                  new ProtocolSessionHandlerFactory(
                      settings,
                      environment.relayKey(),
                      random,
                      instrumentation.wrapQueues(service),
                      hub,
                      new ProtocolMetrics(environment.meterRegistry()),
                      System::nanoTime,
                      forwarding,
                      schedule,
                      config.timing().constantRate().toMillis());
              // issue 12: proof of work and a per-connection cap for CreateQueue
              factory.withCreateLimits(config.pow(), config.queueCreateMaxPerConnection());
              // issue 12: relay-key rotation
              factory.withSuccessor(environment.successor());
              // issue 13: small replies wait a bounded time for company
              factory.withCoalescing(config.coalesce().toMillis());
              return instrumentation.wrapFactory(factory);
            });
  }

  private static LocalQueueService localService(
      RelayConfig config,
      MailboxStore store,
      SecureRandom random,
      Executor keyExecutor,
      DeliverySchedule schedule,
      QueueEvents events) {
    return new LocalQueueService(
        store,
        RandomSource.of(random),
        keyExecutor,
        events,
        config.queueCreateRateGlobal(),
        System::nanoTime,
        schedule::notBeforeForNewEnvelope);
  }

  /** The single relay: one store in {@code <data-dir>/store}. */
  private Future<QueueService> startSingle(
      RelayEnvironment environment,
      SecureRandom random,
      Executor keyExecutor,
      DeliverySchedule schedule,
      QueueEvents events) {
    RelayConfig config = environment.config();
    MailboxConfig mailboxConfig = mailboxConfig(config, environment.mayCreateStore());
    return vertx
        .executeBlocking(() -> RocksMailboxStore.opener(mailboxConfig).open())
        .compose(
            opened -> {
              store = opened;
              RelayMetrics.registerStoreInternalErrors(
                  environment.meterRegistry(), opened::internalErrors);
              LocalQueueService local =
                  localService(config, opened, random, keyExecutor, schedule, events);
              return Future.fromCompletionStage(local.prepare()).map(v -> local);
            });
  }

  // issue 14: a cluster node, through the cluster module
  private Future<QueueService> startCluster(
      RelayEnvironment environment,
      SecureRandom random,
      Executor keyExecutor,
      DeliverySchedule schedule,
      QueueEvents events) {
    RelayConfig config = environment.config();
    Optional<ClusterBackend> backend = ServiceLoader.load(ClusterBackend.class).findFirst();
    if (backend.isEmpty()) {
      return Future.failedFuture(
          new IllegalStateException(
              "cluster.node is set but the cluster module (sealpost-cluster) is not on the class"
                  + " path"));
    }
    ClusterBackend.Wiring wiring =
        new ClusterBackend.Wiring() {
          @Override
          public MailboxConfig storeConfig(Path storeDir, Path keyFile) {
            return mailboxConfig(config, storeDir, keyFile, environment.mayCreateStore());
          }

          @Override
          public LocalQueueService localService(MailboxStore shardStore, QueueEvents shardEvents) {
            return ProtocolApplication.localService(
                config, shardStore, random, keyExecutor, schedule, shardEvents);
          }
        };
    return backend
        .get()
        .start(environment, wiring, events)
        .map(
            node -> {
              clusterNode = node;
              return node.service();
            });
  }

  /** The command path, once started (for tests and tools in the same process). */
  public QueueService queueService() {
    QueueService service = queueService;
    if (service == null) {
      throw new IllegalStateException("the application has not started");
    }
    return service;
  }

  // issue 12: online backups and store metrics
  @Override
  public Optional<MailboxStore> store() {
    return stopped ? Optional.empty() : Optional.ofNullable(store);
  }

  @Override
  public Collection<MailboxStore> stores() {
    ClusterBackend.Node node = clusterNode;
    if (node != null) {
      return stopped ? List.of() : List.copyOf(node.stores().values());
    }
    return RelayApplication.super.stores();
  }

  // issue 14: online backups of a cluster node
  @Override
  public Map<Integer, MailboxStore> shardStores() {
    ClusterBackend.Node node = clusterNode;
    return node == null || stopped ? Map.of() : Map.copyOf(node.stores());
  }

  @Override
  public boolean ready() {
    // issue 14: a cluster node is ready when its shards are served
    ClusterBackend.Node node = clusterNode;
    if (node != null) {
      return !stopped && node.ready();
    }
    return store != null && !stopped;
  }

  // issue 14: a cluster node's shard availability on /health
  @Override
  public String healthDetail() {
    ClusterBackend.Node node = clusterNode;
    return node == null || stopped ? "" : node.healthDetail();
  }

  /** Counts stored envelopes for timed batches, then tells the subscribers (issue 10). */
  private static QueueEvents timedEvents(QueueEvents events, DeliverySchedule schedule) {
    return new QueueEvents() {
      @Override
      public void pending(QueueId queue) {
        schedule.stored();
        events.pending(queue);
      }

      @Override
      public void quotaReached(QueueId queue) {
        events.quotaReached(queue);
      }
    };
  }

  @Override
  public Future<Void> stop() {
    stopped = true;
    if (forwardPool != null) {
      forwardPool.close();
    }
    if (roundTimer >= 0) {
      vertx.cancelTimer(roundTimer);
    }
    // issue 14: a cluster node closes its shards and leaves
    ClusterBackend.Node node = clusterNode;
    if (node != null) {
      return node.stop().andThen(ar -> keyWorkers.close());
    }
    MailboxStore opened = store;
    QueueService service = queueService;
    if (opened == null) {
      if (keyWorkers != null) {
        keyWorkers.close();
      }
      return Future.succeededFuture();
    }
    Future<Void> released =
        service instanceof LocalQueueService local
            ? Future.fromCompletionStage(local.release()).recover(e -> Future.succeededFuture())
            : Future.succeededFuture();
    return released
        .compose(
            v ->
                vertx.<Void>executeBlocking(
                    () -> {
                      opened.close(); // finishes the writes already submitted
                      return null;
                    }))
        .andThen(
            ar -> {
              if (keyWorkers != null) {
                keyWorkers.close();
              }
            });
  }
}
