package org.sealpost.relay.transport;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateHandler;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.ServerWebSocketHandshake;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.sealpost.proto.codec.TlsRecordAlignment;
import org.sealpost.relay.config.RelayConfig;
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
  private final Set<ConnectionShell> connections = new HashSet<>();
  private HttpServer server;
  private Promise<Void> allClosed;

  /**
   * @param port the port to bind; a negative port is a random port shared by all instances
   * @param tls the certificate to serve, or null for plain WebSocket
   */
  public RelayVerticle(
      RelayConfig config,
      int port,
      TlsFiles tls,
      SessionHandlerFactory factory,
      RelayMetrics metrics) {
    this.config = config;
    this.port = port;
    this.tls = tls;
    this.factory = factory;
    this.metrics = metrics;
    this.limits = ConnectionLimits.of(config);
  }

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
            // Until the WebSocket is accepted, a connection that sends nothing is cut after the
            // handshake deadline; the connection's own timers take over afterwards.
            .setReadIdleTimeout((int) Math.max(1, config.handshakeDeadline().toMillis()))
            .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
    if (tls != null) {
      ListenerTls.apply(options, tls.cert(), tls.key(), config.handshakeDeadline().toMillis());
    }
    server =
        vertx
            .createHttpServer(options)
            .webSocketHandshakeHandler(this::onHandshake)
            .webSocketHandler(this::onWebSocket)
            .requestHandler(
                req -> {
                  metrics.upgradeRejected(UpgradeRejection.NOT_WEBSOCKET);
                  req.response().setStatusCode(404).end();
                });
    return server.listen();
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
    IdleStateHandler idle = pipeline.get(IdleStateHandler.class);
    if (idle != null) {
      pipeline.remove(idle);
    }
    VertxInternals.releaseUpgradeResidue(pipeline);
    ListenerTls.alignRecordsToFrames(
        pipeline, config.blockSize() + TlsRecordAlignment.SERVER_FRAME_HEADER);
    ConnectionShell connection =
        new ConnectionShell(vertx, vertx.getOrCreateContext(), ws, limits, metrics, this::gone);
    connections.add(connection);
    connection.start(factory);
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
    Duration grace = config.shutdownGrace();
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
