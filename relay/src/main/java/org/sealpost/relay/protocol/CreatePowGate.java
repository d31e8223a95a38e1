package org.sealpost.relay.protocol;

import java.util.Objects;
import java.util.function.LongSupplier;
import org.sealpost.relay.config.PowSettings;

/**
 * Decides, relay-wide, the proof-of-work difficulty a new session's CreateQueue commands need
 * (protocol §4.3): none, always {@code bits}, or {@code bits} while the CreateQueue load of the
 * last ten seconds is at or above the threshold. A session's difficulty is fixed at its handshake
 * (told in RelayHello), so a client never meets a difficulty it was not told. Counts only commands,
 * never who sent them. Called from every event loop, so its two methods synchronize; each is a few
 * arithmetic operations.
 */
final class CreatePowGate {
  private static final int WINDOW_SECONDS = 10;

  private final PowSettings settings;
  private final LongSupplier nanoClock;
  private final long[] counts = new long[WINDOW_SECONDS];
  private final long[] secondOf = new long[WINDOW_SECONDS];

  CreatePowGate(PowSettings settings, LongSupplier nanoClock) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
  }

  /** A gate that never asks for work. */
  static CreatePowGate off() {
    return new CreatePowGate(PowSettings.OFF, System::nanoTime);
  }

  /** Counts one CreateQueue command, whatever its outcome. */
  synchronized void recordCreate() {
    long second = nanoClock.getAsLong() / 1_000_000_000L;
    int slot = (int) Math.floorMod(second, (long) WINDOW_SECONDS);
    if (secondOf[slot] != second) {
      secondOf[slot] = second;
      counts[slot] = 0;
    }
    counts[slot]++;
  }

  /** The difficulty for a session starting now; 0 = no proof needed. */
  int bitsForNewSession() {
    return switch (settings.mode()) {
      case OFF -> 0;
      case ALWAYS -> settings.bits();
      case UNDER_LOAD -> loadPerSecond() >= settings.loadPerSecond() ? settings.bits() : 0;
    };
  }

  /** CreateQueue commands per second over the last ten seconds. */
  synchronized double loadPerSecond() {
    long now = nanoClock.getAsLong() / 1_000_000_000L;
    long total = 0;
    for (int i = 0; i < WINDOW_SECONDS; i++) {
      if (now - secondOf[i] < WINDOW_SECONDS && secondOf[i] <= now) {
        total += counts[i];
      }
    }
    return total / (double) WINDOW_SECONDS;
  }
}
