package org.sealpost.client.internal;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.sealpost.client.ClientError;
import org.sealpost.client.SealpostException;
import org.sealpost.proto.codec.BlockException;
import org.sealpost.proto.v1.Frame;

/**
 * The correlation table of one session: gives each command a correlation ID (never 0, which marks
 * pushes), holds it until the reply with that ID comes back, keeps at most {@code maxOutstanding}
 * commands in flight (RelayHello.max_outstanding; later ones wait here, in order) and fails those
 * whose deadline passed. Not thread-safe: one session's context uses it.
 */
final class PendingRequests {
  /** Where an admitted command goes: into the outgoing blocks. */
  interface Outlet {
    /**
     * @throws BlockException if the frame can never fit into a block
     */
    void send(Frame frame) throws BlockException;
  }

  private record Pending(
      int corrId, Frame frame, Promise<Frame> promise, long deadlineNanos, String operation) {}

  private final Outlet outlet;
  private final int maxOutstanding;
  private final Duration timeout;
  private final LongSupplier nanoTime;
  private final String relayName;
  private final Map<Integer, Pending> inFlight = new HashMap<>();
  private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
  private int nextCorrId = 1;

  /**
   * @param maxOutstanding commands in flight at once; 0 for no limit
   * @param timeout how long a command waits for its reply, from the moment it is added
   * @param nanoTime the clock of the deadlines ({@code System::nanoTime})
   * @param relayName the relay as error messages name it
   */
  PendingRequests(
      Outlet outlet,
      int maxOutstanding,
      Duration timeout,
      LongSupplier nanoTime,
      String relayName) {
    this.outlet = outlet;
    this.maxOutstanding = maxOutstanding;
    this.timeout = timeout;
    this.nanoTime = nanoTime;
    this.relayName = relayName;
  }

  /**
   * Numbers the command and sends it, or queues it while {@code maxOutstanding} are in flight.
   *
   * @return the relay's reply; an Error reply fails it with the {@link SealpostException} of its
   *     code
   */
  Future<Frame> add(Frame.Builder command, String operation) {
    int corrId = nextCorrId();
    Promise<Frame> promise = Promise.promise();
    Pending p =
        new Pending(
            corrId,
            command.setCorrId(corrId).build(),
            promise,
            nanoTime.getAsLong() + timeout.toNanos(),
            operation);
    if (isFull()) {
      waiting.add(p);
    } else {
      admit(p);
    }
    return promise.future();
  }

  /**
   * Completes the command the reply answers.
   *
   * @return false if no command waits for this correlation ID (a reply after its timeout)
   */
  boolean complete(Frame reply) {
    Pending p = inFlight.remove(reply.getCorrId());
    if (p == null) {
      return false;
    }
    admitWaiting();
    if (reply.hasError()) {
      p.promise().fail(RelayErrors.of(reply.getError().getCode(), p.operation(), relayName));
    } else {
      p.promise().complete(reply);
    }
    return true;
  }

  /** Whether no command is in flight or waiting. */
  boolean isEmpty() {
    return inFlight.isEmpty() && waiting.isEmpty();
  }

  /** Fails every command, in flight or waiting, whose deadline has passed. */
  void expire() {
    long now = nanoTime.getAsLong();
    List<Pending> expired = new ArrayList<>();
    removeExpired(inFlight.values().iterator(), now, expired);
    removeExpired(waiting.iterator(), now, expired);
    if (!expired.isEmpty()) {
      admitWaiting();
    }
    for (Pending p : expired) {
      p.promise()
          .fail(
              new SealpostException(
                  ClientError.TIMEOUT,
                  p.operation()
                      + ": no answer from "
                      + relayName
                      + " within "
                      + timeout.toSeconds()
                      + " s"));
    }
  }

  /** Fails every command, in flight or waiting, with {@code cause}; the table is empty after. */
  void failAll(SealpostException cause) {
    List<Pending> failed = new ArrayList<>(inFlight.values());
    failed.addAll(waiting);
    inFlight.clear();
    waiting.clear();
    for (Pending p : failed) {
      p.promise().fail(cause);
    }
  }

  /** Commands sent and not yet answered. */
  int inFlight() {
    return inFlight.size();
  }

  /** Commands held back by {@code maxOutstanding}. */
  int waiting() {
    return waiting.size();
  }

  private static void removeExpired(Iterator<Pending> it, long now, List<Pending> expired) {
    while (it.hasNext()) {
      Pending p = it.next();
      if (now - p.deadlineNanos() > 0) {
        it.remove();
        expired.add(p);
      }
    }
  }

  private boolean isFull() {
    return maxOutstanding > 0 && inFlight.size() >= maxOutstanding;
  }

  private int nextCorrId() {
    int id = nextCorrId++;
    if (nextCorrId == 0) {
      nextCorrId = 1; // 0 is reserved for pushes
    }
    while (inFlight.containsKey(id) || id == 0) {
      id = nextCorrId();
    }
    return id;
  }

  private void admit(Pending p) {
    try {
      outlet.send(p.frame());
    } catch (BlockException e) {
      p.promise()
          .fail(
              new SealpostException(
                  ClientError.TOO_LARGE, p.operation() + ": the command does not fit a block", e));
      return;
    }
    inFlight.put(p.corrId(), p);
  }

  private void admitWaiting() {
    while (!waiting.isEmpty() && !isFull()) {
      admit(waiting.poll());
    }
  }
}
