package org.sealpost.relay;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import org.sealpost.relay.config.RelayConfig;

/**
 * A started relay: its ports and address, and the graceful {@link #close()}. Built once, by {@link
 * RelayServer}, when every part is up.
 */
public final class RunningRelay {
  private final RelayConfig config;
  private final RelayApplication application;
  private final PrometheusMeterRegistry registry;
  private final byte[] relayPublicKey;
  private final int port;
  private final int adminPort;
  private final RelayShutdown shutdown;
  private final RelayReload reload;
  private volatile boolean closing;

  RunningRelay(
      RelayConfig config,
      RelayApplication application,
      PrometheusMeterRegistry registry,
      byte[] relayPublicKey,
      int port,
      int adminPort,
      RelayShutdown shutdown,
      RelayReload reload) {
    this.reload = reload;
    this.config = config;
    this.application = application;
    this.registry = registry;
    this.relayPublicKey = relayPublicKey.clone();
    this.port = port;
    this.adminPort = adminPort;
    this.shutdown = shutdown;
  }

  /** The WebSocket listener's port. */
  public int port() {
    return port;
  }

  /** The admin HTTP server's port. */
  public int adminPort() {
    return adminPort;
  }

  /**
   * The relay address clients use: {@code sealpost://<key>@public-host:port[?b=B]}, or {@code
   * sealpost+ws://...} in plain-WebSocket mode; {@code public.port} and {@code public.scheme}, when
   * set, name what clients reach through a proxy instead of the listener's own port and scheme.
   */
  public String relayAddress() {
    return RelayAddresses.forClients(config, relayPublicKey, port);
  }

  /** The relay's static public key (32 bytes). */
  public byte[] relayPublicKey() {
    return relayPublicKey.clone();
  }

  public RelayConfig config() {
    return config;
  }

  public PrometheusMeterRegistry meterRegistry() {
    return registry;
  }

  // issue 12: SIGHUP
  /**
   * Applies what can change while running from {@code next} (a freshly loaded configuration): the
   * TLS certificate and key, and the information page's texts. Settings that apply only at start
   * are left as they are; the lines returned say what was reloaded and what needs a restart.
   */
  public Future<java.util.List<String>> reload(RelayConfig next) {
    return reload.apply(next);
  }

  /** Readiness: not shutting down, listener bound, and the application ready. */
  public boolean ready() {
    return !closing && shutdown.listening() && application.ready();
  }

  /**
   * Graceful shutdown: {@code /ready} turns 503, the listeners stop accepting, connections finish
   * their commands in flight (bounded by {@code shutdown.grace}), then the application closes its
   * store, then the admin server closes. Idempotent; every call returns the same future.
   */
  public Future<Void> close() {
    closing = true;
    return shutdown.run();
  }
}
