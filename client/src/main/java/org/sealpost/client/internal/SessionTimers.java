package org.sealpost.client.internal;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.sealpost.client.RelayInfo;

/**
 * The clocks of one session: the handshake deadline, then the request-expiry sweep, the Ping
 * keepalive and, in constant-rate mode, the block clock. All fire on the context that started them.
 * The sweep runs only while commands wait for replies: an idle session keeps no 250 ms timer (a
 * load generator with 10,000 idle sessions spent a good part of its CPU on 40,000 empty sweeps a
 * second and on the timer queue they kept churning).
 */
final class SessionTimers {
  private static final long SWEEP_MS = 250;

  private final Vertx vertx;
  private long handshakeTimer = -1;
  private long sweepTimer = -1;
  private long pingTimer = -1;
  private long coverTimer = -1;
  private BooleanSupplier sweep;
  private boolean stopped;

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
   * @param sweep fails the commands whose deadline passed; returns whether any command still waits
   *     (the sweep stops when none does, and {@link #armSweep} starts it again)
   */
  void startOpen(
      Duration pingInterval,
      Optional<Duration> cover,
      BooleanSupplier sweep,
      Runnable ping,
      Runnable coverTick) {
    cancel(handshakeTimer);
    this.sweep = sweep; // started by the first command (armSweep)
    pingTimer = vertx.setPeriodic(pingInterval.toMillis(), id -> ping.run());
    cover.ifPresent(
        d -> coverTimer = vertx.setPeriodic(Math.max(1, d.toMillis()), id -> coverTick.run()));
  }

  /** A command now waits for a reply: runs the expiry sweep every 250 ms until none does. */
  void armSweep() {
    if (sweepTimer >= 0 || sweep == null || stopped) {
      return;
    }
    sweepTimer =
        vertx.setPeriodic(
            SWEEP_MS,
            id -> {
              if (!sweep.getAsBoolean() && sweepTimer == id) {
                vertx.cancelTimer(id);
                sweepTimer = -1;
              }
            });
  }

  /** Whether the expiry sweep is running (tests). */
  boolean sweeping() {
    return sweepTimer >= 0;
  }

  void cancelAll() {
    stopped = true;
    for (long timer : new long[] {handshakeTimer, sweepTimer, pingTimer, coverTimer}) {
      cancel(timer);
    }
    handshakeTimer = sweepTimer = pingTimer = coverTimer = -1;
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
