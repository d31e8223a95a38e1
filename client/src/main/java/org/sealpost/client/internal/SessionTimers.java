package org.sealpost.client.internal;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Optional;
import org.sealpost.client.RelayInfo;

/**
 * The clocks of one session: the handshake deadline, then the request-expiry sweep, the Ping
 * keepalive and, in constant-rate mode, the block clock. All fire on the context that started them.
 */
final class SessionTimers {
  private static final long SWEEP_MS = 250;

  private final Vertx vertx;
  private long handshakeTimer = -1;
  private long sweepTimer = -1;
  private long pingTimer = -1;
  private long coverTimer = -1;

  SessionTimers(Vertx vertx) {
    this.vertx = vertx;
  }

  void startHandshakeDeadline(Duration timeout, Runnable onExpiry) {
    handshakeTimer = vertx.setTimer(timeout.toMillis(), id -> onExpiry.run());
  }

  /**
   * Ends the handshake deadline and starts the clocks of an open session.
   *
   * @param cover the constant-rate interval, if that mode is on
   */
  void startOpen(
      Duration pingInterval,
      Optional<Duration> cover,
      Runnable sweep,
      Runnable ping,
      Runnable coverTick) {
    cancel(handshakeTimer);
    sweepTimer = vertx.setPeriodic(SWEEP_MS, id -> sweep.run());
    pingTimer = vertx.setPeriodic(pingInterval.toMillis(), id -> ping.run());
    cover.ifPresent(
        d -> coverTimer = vertx.setPeriodic(Math.max(1, d.toMillis()), id -> coverTick.run()));
  }

  void cancelAll() {
    for (long timer : new long[] {handshakeTimer, sweepTimer, pingTimer, coverTimer}) {
      cancel(timer);
    }
  }

  /**
   * A third of the relay's idle timeout (at least a second), so two Pings may be lost before it
   * closes the session; 30 s when it announced none.
   */
  static Duration pingInterval(Optional<Duration> override, RelayInfo info) {
    return override.orElseGet(
        () ->
            info.idleTimeoutSeconds() > 0
                ? Duration.ofMillis(Math.max(1000, info.idleTimeoutSeconds() * 1000L / 3))
                : Duration.ofSeconds(30));
  }

  private void cancel(long timer) {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }
}
