package org.sealpost.relay;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.sealpost.mailbox.MailboxException;
import org.sealpost.proto.crypto.X25519KeyPair;
import org.sealpost.relay.admin.AdminServer;
import org.sealpost.relay.admin.BackupEndpoint;
import org.sealpost.relay.backup.AdminToken;
import org.sealpost.relay.backup.Snapshots;
import org.sealpost.relay.config.RelayConfig;
import org.sealpost.relay.crypto.RelayKeyRotation;
import org.sealpost.relay.crypto.RelayKeyStore;
import org.sealpost.relay.crypto.RelayKeySuccessor;
import org.sealpost.relay.crypto.TlsCertificates;
import org.sealpost.relay.info.InfoPage;
import org.sealpost.relay.metrics.OperatorMetrics;
import org.sealpost.relay.metrics.RelayMetrics;
import org.sealpost.relay.process.DataDirectory;
import org.sealpost.relay.transport.BufferBudget;
import org.sealpost.relay.transport.HandshakeAdmission;
import org.sealpost.relay.transport.ListenerTls;
import org.sealpost.relay.transport.RelayVerticle;
import org.sealpost.relay.transport.SessionHandlerFactory;

/**
 * Starts a relay inside a given Vert.x instance: data directory, relay key, TLS material, the
 * application, one listener verticle per event loop, and the admin server.
 *
 * <pre>{@code
 * RelayServer.start(vertx, config, application)
 *     .onSuccess(relay -> System.out.println(relay.relayAddress()));
 * }</pre>
 */
public final class RelayServer {
  private RelayServer() {}

  /** Starts with a fresh Prometheus registry. */
  public static Future<RunningRelay> start(
      Vertx vertx, RelayConfig config, RelayApplication application) {
    return start(vertx, config, application, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  /**
   * Starts the relay. On failure everything started so far is stopped again, and the future fails
   * with a {@link RelayStartupException}.
   */
  public static Future<RunningRelay> start(
      Vertx vertx,
      RelayConfig config,
      RelayApplication application,
      PrometheusMeterRegistry registry) {
    return start(vertx, config, application, registry, Future.succeededFuture());
  }

  /**
   * Starts the relay, binding its listener only once {@code beforeListening} has succeeded (the
   * files, the store and the application start meanwhile); its failure fails the start like any
   * other. {@code RelayMain} passes its crypto warm-up.
   */
  public static Future<RunningRelay> start(
      Vertx vertx,
      RelayConfig config,
      RelayApplication application,
      PrometheusMeterRegistry registry,
      Future<?> beforeListening) {
    RelayMetrics metrics = new RelayMetrics(registry);
    return vertx
        .<Material>executeBlocking(() -> prepareFiles(config))
        .compose(
            material -> {
              RelayShutdown shutdown =
                  material
                      .successor()
                      .map(next -> new RelayShutdown(vertx, material.key(), next.key()))
                      .orElseGet(() -> new RelayShutdown(vertx, material.key()));
              // the admin server answers /ready before the relay exists: not ready until then
              AtomicReference<RunningRelay> started = new AtomicReference<>();
              BooleanSupplier ready =
                  () -> {
                    RunningRelay relay = started.get();
                    return relay != null && relay.ready();
                  };
              // issue 12: what a SIGHUP reaches: the listeners' TLS and the information page
              List<RelayVerticle> listeners = new CopyOnWriteArrayList<>();
              AtomicReference<InfoPage> infoPage = new AtomicReference<>();
              // only worth it while something else holds the listeners back (RelayMain's warm-up)
              Future<?> tlsPrepared =
                  beforeListening.isComplete()
                      ? Future.succeededFuture()
                      : prepareTls(vertx, config, material);
              return startApplication(vertx, config, application, registry, material)
                  .compose(
                      factory -> {
                        shutdown.applicationStarted(application);
                        shutdown.metricsStarted(
                            OperatorMetrics.start(
                                vertx, registry, config.dataDir(), application::stores));
                        return Future.all(beforeListening, tlsPrepared)
                            .compose(
                                ignored ->
                                    deployListeners(
                                        vertx, config, material, factory, metrics, shutdown,
                                        listeners, infoPage));
                      })
                  .compose(
                      port ->
                          startAdmin(
                                  vertx,
                                  config,
                                  registry,
                                  ready,
                                  shutdown,
                                  new BackupEndpoint(
                                      vertx,
                                      config.dataDir(),
                                      material.adminToken(),
                                      application::store,
                                      application::shardStores),
                                  application)
                              .map(
                                  adminPort -> {
                                    RunningRelay relay =
                                        new RunningRelay(
                                            config,
                                            application,
                                            registry,
                                            material.key().publicKey(),
                                            port,
                                            adminPort,
                                            shutdown,
                                            new RelayReload(
                                                vertx,
                                                config,
                                                RelayAddresses.forClients(
                                                    config, material.advertisedKey(), port),
                                                material.tls(),
                                                listeners,
                                                infoPage));
                                    started.set(relay);
                                    return relay;
                                  }))
                  .recover(
                      failure -> shutdown.run().transform(ignored -> Future.failedFuture(failure)));
            });
  }

  /**
   * The listeners' TLS set-up done once ahead, beside the store's opening and the crypto warm-up
   * ({@link ListenerTls#prepare}); its failure is left for the listeners to report.
   */
  private static Future<?> prepareTls(Vertx vertx, RelayConfig config, Material material) {
    if (material.tls() == null) {
      return Future.succeededFuture();
    }
    return vertx
        .executeBlocking(
            () -> {
              ListenerTls.prepare(
                  vertx, material.tls().cert(), material.tls().key(), config.tlsEngine());
              return null;
            },
            false)
        .otherwiseEmpty();
  }

  /** Files that must exist before anything binds; blocking, so it runs on a worker. */
  record Material(
      X25519KeyPair key,
      RelayVerticle.TlsFiles tls,
      int listenPort,
      boolean mayCreateStore,
      AdminToken adminToken,
      Optional<RelayKeySuccessor> successor) {

    /** issue 12: the key new users are given: the successor during a key rotation. */
    byte[] advertisedKey() {
      return successor.map(RelayKeySuccessor::key).orElse(key).publicKey();
    }
  }

  private static Material prepareFiles(RelayConfig config) {
    DataDirectory dataDir;
    try {
      dataDir = DataDirectory.open(config.dataDir());
    } catch (DataDirectory.DataDirectoryException e) {
      throw new RelayStartupException(StartupError.DATA_DIR, e.getMessage(), e);
    }
    SecureRandom random = new SecureRandom();
    // a missing key is created only on a fresh directory or when told to: otherwise every
    // address handed out so far would silently stop working
    boolean mayCreate = dataDir.fresh() || config.initialiseDataDir();
    X25519KeyPair key = new RelayKeyStore(random).load(dataDir, mayCreate);
    // issue 12: the successor announced by 'sealpost relay key rotate', served beside the key
    Optional<RelayKeySuccessor> successor = RelayKeyRotation.load(dataDir, key);
    RelayVerticle.TlsFiles tls = null;
    if (config.tlsEnabled()) {
      if (config.tlsCert().isPresent() && config.tlsKey().isPresent()) {
        tls = new RelayVerticle.TlsFiles(config.tlsCert().get(), config.tlsKey().get());
      } else {
        TlsCertificates.CertificatePaths generated =
            new TlsCertificates(random, Clock.systemUTC())
                .loadOrCreateSelfSigned(config.dataDir(), config.publicHost());
        tls = new RelayVerticle.TlsFiles(generated.certificate(), generated.privateKey());
      }
      TlsCertificates.validate(tls.cert(), tls.key());
    }
    // issue 12: a leftover snapshot's hard links keep deleted envelopes' files alive
    AdminToken adminToken;
    try {
      Snapshots.deleteTree(config.dataDir().resolve(Snapshots.STAGING));
      adminToken = AdminToken.create(config.dataDir(), random);
    } catch (IOException e) {
      throw new RelayStartupException(
          StartupError.DATA_DIR, "data directory " + config.dataDir() + ": " + e.getMessage(), e);
    }
    return new Material(key, tls, resolvePort(config), mayCreate, adminToken, successor);
  }

  /** Port 0 (tests, ad-hoc runs) becomes a port that was free a moment ago on the listen host. */
  private static int resolvePort(RelayConfig config) {
    if (config.listenPort() != 0) {
      return config.listenPort();
    }
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress(config.listenHost(), 0));
      return probe.getLocalPort();
    } catch (IOException e) {
      throw new RelayStartupException(
          StartupError.LISTEN,
          "cannot find a free port on " + config.listenHost() + ": " + e.getMessage(),
          e);
    }
  }

  private static Future<SessionHandlerFactory> startApplication(
      Vertx vertx,
      RelayConfig config,
      RelayApplication application,
      PrometheusMeterRegistry registry,
      Material material) {
    Future<SessionHandlerFactory> started;
    try {
      started =
          application.start(
              new RelayEnvironment(
                  vertx,
                  config,
                  material.key(),
                  registry,
                  material.mayCreateStore(),
                  material.successor()));
    } catch (RuntimeException e) {
      started = Future.failedFuture(e);
    }
    return started.recover(
        e ->
            Future.failedFuture(
                e instanceof RelayStartupException
                    ? e
                    : new RelayStartupException(
                        StartupError.APPLICATION,
                        "relay application failed to start: " + describe(e),
                        e)));
  }

  /**
   * The one line that names why the application failed: the message of the innermost store error
   * (its messages name the operation and never user data), else the exception's type, whose message
   * might carry anything.
   */
  static String describe(Throwable failure) {
    MailboxException store = null;
    for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof MailboxException m) {
        store = m;
      }
    }
    return store != null && store.getMessage() != null
        ? store.getMessage()
        : failure.getClass().getSimpleName();
  }

  /** Deploys the listener instances; the future holds the bound port. */
  private static Future<Integer> deployListeners(
      Vertx vertx,
      RelayConfig config,
      Material material,
      SessionHandlerFactory factory,
      RelayMetrics metrics,
      RelayShutdown shutdown,
      List<RelayVerticle> instances,
      AtomicReference<InfoPage> infoPage) {
    // One instance per event loop, all sharing one port: Vert.x binds the socket once and hands
    // connections round-robin to the instances. Vert.x shares by the requested port, and port 0
    // would give each instance its own random port, so port 0 was resolved to a free port first.
    int port = material.listenPort();
    // issue 12: built once; the port is known before the listeners bind (port 0 was resolved)
    infoPage.set(
        config.info().enabled()
            ? InfoPage.build(
                config,
                RelayAddresses.forClients(config, material.advertisedKey(), port),
                OperatorMetrics.version())
            : null);
    BufferBudget budget = new BufferBudget(config.bufferBudgetBytes());
    metrics.registerBuffers(budget::used, budget::peak, budget::limit);
    // issue 13: one bound on TLS handshakes in progress for every listener instance
    HandshakeAdmission admission = new HandshakeAdmission(config.maxHandshakes());
    metrics.registerAdmission(admission::inProgress, admission::waiting);
    return vertx
        .deployVerticle(
            () -> {
              RelayVerticle v =
                  new RelayVerticle(
                      config, port, material.tls(), factory, budget, admission, metrics, infoPage);
              instances.add(v);
              return v;
            },
            new DeploymentOptions().setInstances(config.eventLoops()))
        .map(
            id -> {
              shutdown.listenersDeployed(id);
              int bound = instances.get(0).actualPort();
              for (RelayVerticle v : instances) {
                if (v.actualPort() != bound) {
                  throw new IllegalStateException("listener instances bound different ports");
                }
              }
              return bound;
            })
        .recover(
            e ->
                Future.failedFuture(
                    new RelayStartupException(
                        StartupError.LISTEN,
                        "cannot listen on "
                            + config.listenHost()
                            + ":"
                            + config.listenPort()
                            + ": "
                            + e.getMessage(),
                        e)));
  }

  /** Starts the admin server; the future holds its bound port. */
  private static Future<Integer> startAdmin(
      Vertx vertx,
      RelayConfig config,
      PrometheusMeterRegistry registry,
      BooleanSupplier ready,
      RelayShutdown shutdown,
      BackupEndpoint backup,
      RelayApplication application) {
    AdminServer admin =
        new AdminServer(vertx, registry, ready, java.util.Optional.of(backup))
            .healthDetail(application::healthDetail);
    shutdown.adminStarting(admin);
    return admin
        .start(config.adminHost(), config.adminPort())
        .recover(
            e ->
                Future.failedFuture(
                    new RelayStartupException(
                        StartupError.ADMIN_LISTEN,
                        "cannot listen on admin address "
                            + config.adminHost()
                            + ":"
                            + config.adminPort()
                            + ": "
                            + e.getMessage(),
                        e)));
  }
}
