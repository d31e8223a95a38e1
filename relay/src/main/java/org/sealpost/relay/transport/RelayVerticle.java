package org.sealpost.relay.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.util.AttributeKey;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.ServerWebSocketHandshake;
import io.vertx.core.net.ServerSSLOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import javax.net.ssl.SSLException;
import org.sealpost.proto.codec.TlsRecordAlignment;
import org.sealpost.relay.config.RelayConfig;
import org.sealpost.relay.info.InfoPage;
import org.sealpost.relay.metrics.RelayMetrics;
import org.sealpost.relay.metrics.UpgradeRejection;

/**
 * One instance of the WebSocket listener; the relay deploys one per event loop, all sharing the
 * port. Each accepted connection lives on this verticle's context.
 */
public final class RelayVerticle extends VerticleBase {
  /** The only WebSocket path (protocol version 1). */
  public static final String PATH = "/v1";

  private final RelayConfig config;
  private final int port;
  private final TlsFiles tls;
  private final SessionHandlerFactory factory;
  private final RelayMetrics metrics;
  private final ConnectionLimits limits;
  private final BufferBudget budget;
  // issue 12: the operator information page (null: info.enabled=false), replaced on SIGHUP
  private final AtomicReference<InfoPage> infoPage;
  private HttpServerOptions options;
  // issue 13: the bound on TLS handshakes in progress, shared by every instance
  private final HandshakeAdmission admission;
  private final Set<ConnectionShell> connections = new HashSet<>();
  private HttpServer server;
  private Promise<Void> allClosed;
  private long pressureRecheck = -1;

  /** Output that made no progress for this long counts as stuck when the budget runs short. */
  private static final long STUCK_NANOS = TimeUnit.SECONDS.toNanos(3);

  private static final long PRESSURE_RECHECK_MILLIS = 250;

  /**
   * @param port the port to bind; a negative port is a random port shared by all instances
   * @param tls the certificate to serve, or null for plain WebSocket
   * @param infoPage holds the page served at {@code /}, or null for none; shared by all instances
   */
  public RelayVerticle(
      RelayConfig config,
      int port,
      TlsFiles tls,
      SessionHandlerFactory factory,
      BufferBudget budget,
      HandshakeAdmission admission,
      RelayMetrics metrics,
      AtomicReference<InfoPage> infoPage) {
    this.infoPage = infoPage;
    this.config = config;
    this.admission = admission;
    this.port = port;
    this.tls = tls;
    this.factory = factory;
    this.budget = budget;
    this.metrics = metrics;
    this.limits = ConnectionLimits.of(config);
  }

  /** What a TCP connection carries until it becomes a WebSocket: when it came, its deadline. */
  private record PreUpgrade(long acceptedNanos, long timer) {}

  private static final AttributeKey<PreUpgrade> PRE_UPGRADE =
      AttributeKey.valueOf(RelayVerticle.class, "preUpgrade");

  /** PEM certificate and key paths. */
  public record TlsFiles(java.nio.file.Path cert, java.nio.file.Path key) {}

  @Override
  public Future<?> start() {
    int b = config.blockSize();
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(config.listenHost())
            .setPort(port)
            .setMaxWebSocketFrameSize(b)
            .setMaxWebSocketMessageSize(b)
            .setPerFrameWebSocketCompressionSupported(false)
            .setPerMessageWebSocketCompressionSupported(false)
            .setCompressionSupported(false)
            .setDecompressionSupported(false)
            .setWebSocketSubProtocols(List.of())
            // HTTP/1.1 only: with h2c on, Vert.x waits for the first bytes before it creates the
            // connection, and the handshake deadline would start late
            .setHttp2ClearTextEnabled(false);
    if (tls != null) {
      ListenerTls.apply(
          options,
          tls.cert(),
          tls.key(),
          config.tlsEngine(),
          config.handshakeDeadline().toMillis());
    }
    Context context = vertx.getOrCreateContext();
    budget.onPressureChange(() -> context.runOnContext(v -> onBudgetPressure()));
    server =
        vertx
            .createHttpServer(options)
            .connectionHandler(this::onConnection)
            .invalidRequestHandler(this::onInvalidRequest)
            .exceptionHandler(this::onServerException)
            .webSocketHandshakeHandler(this::onHandshake)
            .webSocketHandler(this::onWebSocket)
            .requestHandler(
                req -> {
                  InfoPage page = infoPage.get();
                  if (page != null && page.serve(req)) {
                    return; // issue 12: the same page for everyone, nothing recorded
                  }
                  metrics.upgradeRejected(UpgradeRejection.NOT_WEBSOCKET);
                  req.response().setStatusCode(404).end();
                });
    this.options = options;
    return server.listen().andThen(ar -> admitHandshakes());
  }

  // issue 13: the gate goes on the listening socket as soon as it is bound
  private void admitHandshakes() {
    if (!admission.bounded() || server.actualPort() <= 0) {
      return;
    }
    io.netty.channel.ServerChannel listening = VertxInternals.listeningChannel(server);
    if (listening != null) {
      admission.attach(listening);
    } else {
      System.getLogger(RelayVerticle.class.getName())
          .log(
              System.Logger.Level.WARNING,
              "connection.max-handshakes is not enforced: this Vert.x hides the listening socket");
    }
  }

  // issue 12: SIGHUP reloads the certificate
  /**
   * Serves {@code files} to new TLS connections from now on, with every other TLS option as at
   * start; connections already open keep their session.
   */
  public Future<Boolean> reloadCertificate(TlsFiles files) {
    ServerSSLOptions ssl =
        new ServerSSLOptions(options.getSslOptions())
            .setKeyCertOptions(ListenerTls.keyCert(files.cert(), files.key()));
    return server.updateSSLOptions(ssl, true);
  }

  /**
   * A new TCP connection (after TLS, when TLS is on: the TLS handshake has its own bound of the
   * same length). The handshake deadline starts here, not at the WebSocket upgrade, so a client
   * cannot stretch it by upgrading late.
   */
  private void onConnection(HttpConnection connection) {
    Channel channel = VertxInternals.channel(connection);
    admission.handshakeDone(channel);
    long accepted = System.nanoTime();
    long timer =
        vertx.setTimer(
            Math.max(1, config.handshakeDeadline().toMillis()),
            id -> {
              PreUpgrade pending = channel.attr(PRE_UPGRADE).getAndSet(null);
              if (pending != null) {
                metrics.upgradeRejected(UpgradeRejection.TIMEOUT);
                channel.close();
              }
            });
    channel.attr(PRE_UPGRADE).set(new PreUpgrade(accepted, timer));
    channel
        .closeFuture()
        .addListener(
            f -> {
              PreUpgrade pending = channel.attr(PRE_UPGRADE).getAndSet(null);
              if (pending != null) {
                vertx.cancelTimer(pending.timer());
              }
            });
  }

  private void onInvalidRequest(HttpServerRequest request) {
    metrics.upgradeRejected(UpgradeRejection.INVALID_REQUEST);
    HttpServerRequest.DEFAULT_INVALID_REQUEST_HANDLER.handle(request);
  }

  private void onServerException(Throwable t) {
    // failures on connections that are not WebSockets yet; only TLS ones are counted here
    if (t instanceof SSLException
        || t instanceof SslHandshakeTimeoutException
        || t.getCause() instanceof SSLException) {
      metrics.upgradeRejected(UpgradeRejection.TLS_FAILED);
    }
  }

  private void onHandshake(ServerWebSocketHandshake handshake) {
    if (PATH.equals(handshake.path())) {
      handshake.accept();
    } else {
      metrics.upgradeRejected(UpgradeRejection.WRONG_PATH);
      handshake.reject(404);
    }
  }

  private void onWebSocket(ServerWebSocket ws) {
    ChannelPipeline pipeline = VertxInternals.channelContext(ws).pipeline();
    PreUpgrade pending = pipeline.channel().attr(PRE_UPGRADE).getAndSet(null);
    long accepted = System.nanoTime();
    if (pending != null) {
      vertx.cancelTimer(pending.timer());
      accepted = pending.acceptedNanos();
    }
    VertxInternals.releaseUpgradeResidue(pipeline);
    ListenerTls.alignRecordsToFrames(
        pipeline, config.blockSize() + TlsRecordAlignment.SERVER_FRAME_HEADER);
    ConnectionShell connection =
        new ConnectionShell(
            vertx,
            vertx.getOrCreateContext(),
            ws,
            limits,
            budget,
            metrics,
            accepted,
            this::gone,
            this::reserveByCutting);
    connections.add(connection);
    connection.start(factory, budget.underPressure());
  }

  /**
   * The buffer budget crossed a mark: pause (or resume) reading everywhere, and while it is short,
   * cut this instance's connections whose output has made no progress for {@link #STUCK_NANOS}, the
   * longest stuck first; checked again every {@link #PRESSURE_RECHECK_MILLIS} while the pressure
   * lasts, so output that becomes stuck later is found too. A client that keeps reading is not cut,
   * even when the stalled readers are on another event loop (each instance cuts its own).
   */
  private void onBudgetPressure() {
    boolean pressure = budget.underPressure();
    for (ConnectionShell c : List.copyOf(connections)) {
      c.budgetPressure(pressure);
    }
    if (pressure) {
      cutStuckOutput();
    }
  }

  private void cutStuckOutput() {
    cancelPressureRecheck(); // called by the recheck timer, or anew when the pressure changes
    if (!budget.underPressure() || !budget.aboveLowMark()) {
      return;
    }
    long now = System.nanoTime();
    for (ConnectionShell c :
        longestWaitingFirst(c -> now - c.outputWaitingSinceNanos() >= STUCK_NANOS)) {
      if (!budget.aboveLowMark()) {
        break;
      }
      c.cut(CloseReason.BUFFER_BUDGET);
    }
    if (budget.underPressure() && budget.aboveLowMark()) {
      pressureRecheck = vertx.setTimer(PRESSURE_RECHECK_MILLIS, id -> cutStuckOutput());
    }
  }

  /**
   * A block for {@code requester} does not fit in the budget: the connections on this event loop
   * whose queued output has waited longest are cut until it does. Cutting the requester would cut a
   * client that reads whenever its reply came last, after stalled readers had taken the room above
   * the high mark; a client that reads keeps its output recent, so stalled readers go first. False,
   * having reserved nothing, when the requester's own output has waited longest or nothing else is
   * left to cut; the caller then cuts the requester.
   */
  private boolean reserveByCutting(ConnectionShell requester) {
    for (ConnectionShell c : longestWaitingFirst(c -> true)) {
      if (c == requester) {
        return false;
      }
      c.cut(CloseReason.BUFFER_BUDGET);
      if (budget.tryReserve(config.blockSize())) {
        return true;
      }
    }
    return false;
  }

  /**
   * This instance's connections that hold part of the budget and match {@code which}, the one whose
   * queued output has waited longest first (the most blocks first among equals): the order in which
   * the budget cuts.
   */
  private List<ConnectionShell> longestWaitingFirst(Predicate<ConnectionShell> which) {
    List<ConnectionShell> out = new ArrayList<>();
    for (ConnectionShell c : connections) {
      if (c.holdsBudget() && which.test(c)) {
        out.add(c);
      }
    }
    out.sort(
        Comparator.comparingLong(ConnectionShell::outputWaitingSinceNanos)
            .thenComparing(
                Comparator.comparingInt(ConnectionShell::pendingOutboundBlocks).reversed()));
    return out;
  }

  private void cancelPressureRecheck() {
    if (pressureRecheck >= 0) {
      vertx.cancelTimer(pressureRecheck);
      pressureRecheck = -1;
    }
  }

  private void gone(ConnectionShell connection) {
    connections.remove(connection);
    if (allClosed != null && connections.isEmpty()) {
      allClosed.tryComplete();
    }
  }

  /** The port this instance is bound to. */
  public int actualPort() {
    return server.actualPort();
  }

  /**
   * Stops accepting, lets every connection finish its commands in flight (each one then closes
   * itself), and cuts whatever is left after {@code shutdown.grace}.
   */
  @Override
  public Future<?> stop() {
    cancelPressureRecheck();
    Duration grace = config.shutdownGrace();
    // marked before the server asks each WebSocket to shut down, which a client's close frame
    // also does: only these connections close for the reason "shutdown"
    for (ConnectionShell c : List.copyOf(connections)) {
      c.relayStopping();
    }
    allClosed = Promise.promise();
    if (connections.isEmpty()) {
      allClosed.complete();
    }
    // the server cuts what is left after the grace period; the last close callbacks follow
    long bound = vertx.setTimer(grace.toMillis() + 2000, id -> allClosed.tryComplete());
    return server
        .shutdown(grace.isZero() ? Duration.ofMillis(1) : grace)
        .transform(ar -> allClosed.future())
        .andThen(ar -> vertx.cancelTimer(bound));
  }
}
