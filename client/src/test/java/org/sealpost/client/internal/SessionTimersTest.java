package org.sealpost.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The request-expiry sweep runs only while commands wait for replies. */
class SessionTimersTest {
  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Runs {@code action} on the session's context, as the session does, and returns its result. */
  private <T> T onContext(Supplier<T> action) throws Exception {
    CompletableFuture<T> f = new CompletableFuture<>();
    context.runOnContext(v -> f.complete(action.get()));
    return f.get(10, TimeUnit.SECONDS);
  }

  private void awaitTrue(Supplier<Boolean> condition) throws Exception {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!onContext(condition) && System.nanoTime() < until) {
      Thread.sleep(20);
    }
    assertThat(onContext(condition)).isTrue();
  }

  @Test
  void anIdleSessionKeepsNoSweepAndACommandStartsItUntilNoneWaits() throws Exception {
    SessionTimers timers = new SessionTimers(vertx);
    AtomicInteger sweeps = new AtomicInteger();
    AtomicBoolean waiting = new AtomicBoolean();
    onContext(
        () -> {
          timers.startOpen(
              Duration.ofHours(1),
              Optional.empty(),
              () -> {
                sweeps.incrementAndGet();
                return waiting.get();
              },
              () -> {},
              () -> {});
          return null;
        });
    assertThat(onContext(timers::sweeping)).as("open, nothing sent").isFalse();

    waiting.set(true);
    onContext(
        () -> {
          timers.armSweep();
          timers.armSweep(); // idempotent: one sweep however many commands
          return null;
        });
    awaitTrue(() -> sweeps.get() >= 2);
    assertThat(onContext(timers::sweeping)).isTrue();

    waiting.set(false); // the replies came
    awaitTrue(() -> !timers.sweeping());
    int after = sweeps.get();
    Thread.sleep(600); // two sweep periods
    assertThat(sweeps.get()).as("no sweep once nothing waits").isEqualTo(after);

    waiting.set(true);
    onContext(
        () -> {
          timers.armSweep();
          return null;
        });
    awaitTrue(() -> sweeps.get() > after);
    onContext(
        () -> {
          timers.cancelAll();
          timers.armSweep(); // a closed session starts nothing
          return null;
        });
    assertThat(onContext(timers::sweeping)).isFalse();
  }
}
