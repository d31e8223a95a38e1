package org.sealpost.benchmarks.load;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Completion of a reconnect storm (W5): client {@code c} is done once it has resubscribed and every
 * one of its pending messages was delivered to it, in whatever order those happen. Messages are
 * numbered per client ({@link #messageIndex}); a message delivered twice counts once.
 */
public final class StormTracker {
  private final int[] firstMessage;
  private final int[] owner;
  // per client: 1 for the resubscription plus its pending messages not yet delivered
  private final AtomicIntegerArray outstanding;
  private final AtomicIntegerArray resubscribed;
  private final DeliveryTracker messages;
  private final AtomicInteger clientsResubscribed = new AtomicInteger();
  private final AtomicInteger clientsDone = new AtomicInteger();
  private final AtomicLong lastResubscribedNanos = new AtomicLong();
  private final AtomicLong lastDoneNanos = new AtomicLong();
  private final AtomicLong halfDoneNanos = new AtomicLong();

  /** {@code pendingPerClient[c]} messages wait for client {@code c}. */
  public StormTracker(int[] pendingPerClient) {
    int clients = pendingPerClient.length;
    firstMessage = new int[clients + 1];
    outstanding = new AtomicIntegerArray(clients);
    resubscribed = new AtomicIntegerArray(clients);
    for (int c = 0; c < clients; c++) {
      if (pendingPerClient[c] < 0) {
        throw new IllegalArgumentException("negative pending count");
      }
      firstMessage[c + 1] = Math.addExact(firstMessage[c], pendingPerClient[c]);
      outstanding.set(c, 1 + pendingPerClient[c]);
    }
    owner = new int[firstMessage[clients]];
    for (int c = 0; c < clients; c++) {
      for (int i = firstMessage[c]; i < firstMessage[c + 1]; i++) {
        owner[i] = c;
      }
    }
    messages = new DeliveryTracker(owner.length);
  }

  public int clients() {
    return outstanding.length();
  }

  /** All pending messages, of every client. */
  public int messages() {
    return owner.length;
  }

  /** The global index of client {@code client}'s {@code k}th pending message. */
  public int messageIndex(int client, int k) {
    if (k < 0 || k >= firstMessage[client + 1] - firstMessage[client]) {
      throw new IllegalArgumentException("no such pending message");
    }
    return firstMessage[client] + k;
  }

  /** Client {@code client} has resubscribed; returns false if it had before. */
  public boolean resubscribed(int client, long nowNanos) {
    if (!resubscribed.compareAndSet(client, 0, 1)) {
      return false;
    }
    clientsResubscribed.incrementAndGet();
    lastResubscribedNanos.accumulateAndGet(nowNanos, Math::max);
    step(client, nowNanos);
    return true;
  }

  /** Message {@code index} arrived; returns false if it had before (a duplicate). */
  public boolean delivered(int index, long nowNanos) {
    if (!messages.deliver(index, nowNanos)) {
      return false;
    }
    step(owner[index], nowNanos);
    return true;
  }

  private void step(int client, long nowNanos) {
    if (outstanding.decrementAndGet(client) == 0) {
      int done = clientsDone.incrementAndGet();
      lastDoneNanos.accumulateAndGet(nowNanos, Math::max);
      if (done == (clients() + 1) / 2) {
        halfDoneNanos.set(nowNanos);
      }
    }
  }

  public int clientsResubscribed() {
    return clientsResubscribed.get();
  }

  public int clientsDone() {
    return clientsDone.get();
  }

  public long delivered() {
    return messages.delivered();
  }

  public long duplicates() {
    return messages.duplicates();
  }

  public boolean complete() {
    return clientsDone.get() == clients();
  }

  /** When the last resubscription so far was answered ({@link System#nanoTime()}), 0 if none. */
  public long lastResubscribedNanos() {
    return lastResubscribedNanos.get();
  }

  /** When half the clients (rounded up) were done, 0 if not yet: the median client. */
  public long halfDoneNanos() {
    return halfDoneNanos.get();
  }

  /** When the last client so far became done, 0 if none. */
  public long lastDoneNanos() {
    return lastDoneNanos.get();
  }
}
