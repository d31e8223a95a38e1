package org.sealpost.benchmarks.load;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A peer inside the test JVM: a queue per recipient, delivery on a single thread to the subscribed
 * listener, stored messages pushed on subscribe. Lets the workloads run in milliseconds.
 */
final class InMemoryPeer implements PeerDriver {
  private final Map<Integer, Deque<byte[]>> stored = new HashMap<>();
  private final Map<Integer, DeliveryListener> online = new HashMap<>();
  private final ExecutorService worker = Executors.newSingleThreadExecutor();
  private final boolean duplicateEveryTenth;
  private final java.util.concurrent.atomic.AtomicLong duplicatesSent =
      new java.util.concurrent.atomic.AtomicLong();

  private final java.util.concurrent.atomic.AtomicLong sent =
      new java.util.concurrent.atomic.AtomicLong();

  /** Messages handed to this peer, in every phase. */
  long sent() {
    return sent.get();
  }

  InMemoryPeer(boolean duplicateEveryTenth) {
    this.duplicateEveryTenth = duplicateEveryTenth;
  }

  @Override
  public PeerDescription description() {
    return new PeerDescription("memory", "1", "queued in memory", "none");
  }

  @Override
  public void prepareQueues(int recipients) {}

  @Override
  public PeerSender openSender(int index) {
    return new PeerSender() {
      @Override
      public CompletableFuture<Void> send(int recipient, byte[] content) {
        return CompletableFuture.runAsync(() -> accept(recipient, content), worker);
      }

      @Override
      public void close() {}
    };
  }

  private void accept(int recipient, byte[] content) {
    sent.incrementAndGet();
    DeliveryListener l = online.get(recipient);
    if (l == null) {
      stored.computeIfAbsent(recipient, r -> new ArrayDeque<>()).add(content);
      return;
    }
    l.onDelivery(recipient, content);
    if (duplicateEveryTenth && Payload.index(content) % 10 == 0) {
      l.onDelivery(recipient, content);
      duplicatesSent.incrementAndGet();
    }
  }

  long duplicatesSent() {
    return duplicatesSent.get();
  }

  @Override
  public RecipientSession openRecipient(int recipient, DeliveryListener listener) {
    CompletableFuture.runAsync(
            () -> {
              online.put(recipient, listener);
              Deque<byte[]> q = stored.remove(recipient);
              while (q != null && !q.isEmpty()) {
                listener.onDelivery(recipient, q.poll());
              }
            },
            worker)
        .join();
    return () -> CompletableFuture.runAsync(() -> online.remove(recipient), worker).join();
  }

  @Override
  public void close() {
    worker.shutdownNow();
  }
}
