package org.sealpost.client.internal;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import org.sealpost.client.Mailbox;
import org.sealpost.client.RelayConnection;
import org.sealpost.proto.crypto.RandomSource;

/**
 * Loop cover for one connection (Loopix-style, issue 10): a queue of the connection's own, to which
 * it sends envelopes of random bytes at the times of a Poisson process, and whose deliveries it
 * drops. To a network observer a loop Send looks like any Send and a loop delivery like any
 * delivery, so "sent something" no longer means "wrote to someone". The relay itself sees the loop
 * queue subscribed on the sending connection (see docs/threat-model.md).
 *
 * <p>Runs on the connection's context; failures (the relay unreachable, a full loop queue) only
 * skip a beat: the next draw tries again.
 */
final class LoopCover {
  private final Vertx vertx;
  private final Context context;
  private final RelayConnection connection;
  private final Duration mean;
  private final RandomSource random;
  private final TimingDraws draws;
  private Mailbox loop;
  private int envelopeSize;
  private long timer = -1;
  private boolean starting;
  private boolean stopped;

  LoopCover(
      Vertx vertx,
      Context context,
      RelayConnection connection,
      Duration mean,
      RandomSource random) {
    this.vertx = vertx;
    this.context = context;
    this.connection = connection;
    this.mean = mean;
    this.random = random;
    this.draws = new TimingDraws(random);
  }

  /** Starts the loop: creates and subscribes the loop queue, then sends at random times. */
  void start() {
    context.runOnContext(v -> next());
  }

  void stop() {
    context.runOnContext(
        v -> {
          stopped = true;
          if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
          }
        });
  }

  private void next() {
    if (stopped) {
      return;
    }
    timer =
        vertx.setTimer(
            draws.exponentialMillis(mean),
            id -> {
              timer = -1;
              if (loop == null) {
                prepare();
              } else {
                send();
              }
              next();
            });
  }

  private void prepare() {
    if (starting) {
      return;
    }
    starting = true;
    connection
        .createMailbox()
        .thenCompose(
            m ->
                connection
                    .subscribeSealed(m, (mailbox, envelope) -> {}) // dropped, then acknowledged
                    .thenCompose(v -> connection.info())
                    .thenAccept(
                        info ->
                            context.runOnContext(
                                x -> {
                                  envelopeSize = info.envelopeSize();
                                  loop = m;
                                })))
        .whenComplete((v, e) -> context.runOnContext(x -> starting = false));
  }

  private void send() {
    connection.sendSealed(loop.address(), random.bytes(envelopeSize)); // a failure skips a beat
  }
}
