package org.sealpost.relay.protocol;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.sealpost.mailbox.MessageId;
import org.sealpost.mailbox.QueueId;
import org.sealpost.mailbox.StoredEnvelope;
import org.sealpost.proto.v1.ErrorCode;
import org.sealpost.relay.queue.AuthorizedQueue;
import org.sealpost.relay.queue.CreatedQueue;
import org.sealpost.relay.queue.QueueEvents;
import org.sealpost.relay.queue.QueueException;
import org.sealpost.relay.queue.QueueService;

/**
 * An in-memory command path for the protocol's unit tests: queues by recipient and sender ID,
 * envelopes in append order. It trusts every MAC (the MAC check is {@code LocalQueueService}'s,
 * tested with it) and counts the calls it gets. While {@link #hold} is set, Sends and
 * authorizations never complete.
 */
final class FakeQueueService implements QueueService {
  private final QueueEvents events;
  private final int quota;
  private final Map<ByteString, QueueId> byRecipient = new HashMap<>();
  private final Map<ByteString, QueueId> bySender = new HashMap<>();
  private final Map<QueueId, List<StoredEnvelope>> envelopes = new HashMap<>();
  private final AtomicInteger next = new AtomicInteger();
  final AtomicInteger authorizeCalls = new AtomicInteger();
  final AtomicInteger sendCalls = new AtomicInteger();
  final List<CompletableFuture<Void>> held = new ArrayList<>();
  volatile boolean hold;

  /** While set, Acks never complete (they stay in flight). */
  volatile boolean holdAcks;

  FakeQueueService(QueueEvents events, int quota) {
    this.events = events;
    this.quota = quota;
  }

  /** A queue with the given IDs (each 32 bytes) and delivery key, made without CreateQueue. */
  synchronized QueueId add(byte[] recipientId, byte[] senderId) {
    QueueId id = QueueId.of(idBytes(next.incrementAndGet()));
    byRecipient.put(ByteString.copyFrom(recipientId), id);
    bySender.put(ByteString.copyFrom(senderId), id);
    envelopes.put(id, new ArrayList<>());
    return id;
  }

  synchronized int stored(QueueId queue) {
    List<StoredEnvelope> list = envelopes.get(queue);
    return list == null ? -1 : list.size();
  }

  @Override
  public synchronized CompletionStage<CreatedQueue> create(byte[] recipientDhPublic) {
    byte[] recipientId = new byte[32];
    byte[] senderId = new byte[32];
    int n = next.get() + 1;
    recipientId[0] = (byte) n;
    senderId[0] = (byte) n;
    senderId[1] = 1;
    add(recipientId, senderId);
    return CompletableFuture.completedFuture(
        new CreatedQueue(recipientId, senderId, recipientDhPublic.clone()));
  }

  @Override
  public synchronized CompletionStage<AuthorizedQueue> authorize(
      byte[] recipientId, byte[] handshakeHash, byte[] command, byte[] mac) {
    authorizeCalls.incrementAndGet();
    if (hold) {
      return new CompletableFuture<>();
    }
    QueueId id = byRecipient.get(ByteString.copyFrom(recipientId));
    if (id == null) {
      return CompletableFuture.failedFuture(QueueException.auth());
    }
    return CompletableFuture.completedFuture(
        new AuthorizedQueue(id, recipientId.clone(), deliveryKey()));
  }

  /** The delivery key of every queue here. */
  static byte[] deliveryKey() {
    byte[] key = new byte[32];
    key[31] = 7;
    return key;
  }

  @Override
  public CompletionStage<Void> secure(QueueId queue, byte[] sendToken) {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<Void> send(byte[] senderId, byte[] envelope, byte[] sendToken) {
    sendCalls.incrementAndGet();
    if (hold) {
      CompletableFuture<Void> never = new CompletableFuture<>();
      synchronized (this) {
        held.add(never);
      }
      return never;
    }
    QueueId id;
    synchronized (this) {
      id = bySender.get(ByteString.copyFrom(senderId));
      if (id == null) {
        return CompletableFuture.failedFuture(QueueException.auth());
      }
      List<StoredEnvelope> list = envelopes.get(id);
      if (list.size() >= quota) {
        events.quotaReached(id);
        return CompletableFuture.failedFuture(
            new QueueException(ErrorCode.ERROR_CODE_QUOTA, "full"));
      }
      long position = list.isEmpty() ? 1 : list.get(list.size() - 1).position() + 1;
      list.add(new StoredEnvelope(position, MessageId.of(idBytes12(position)), envelope.clone()));
    }
    events.pending(id);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public synchronized CompletionStage<List<StoredEnvelope>> readPending(
      QueueId queue, long afterPosition, int maxCount) {
    List<StoredEnvelope> page = new ArrayList<>();
    for (StoredEnvelope e : envelopes.getOrDefault(queue, List.of())) {
      if (e.position() > afterPosition && page.size() < maxCount) {
        page.add(e);
      }
    }
    return CompletableFuture.completedFuture(page);
  }

  @Override
  public synchronized CompletionStage<Boolean> isFull(QueueId queue) {
    return CompletableFuture.completedFuture(envelopes.get(queue).size() >= quota);
  }

  @Override
  public synchronized CompletionStage<Boolean> ack(QueueId queue, MessageId messageId) {
    if (holdAcks) {
      return new CompletableFuture<>();
    }
    boolean removed = envelopes.get(queue).removeIf(e -> e.messageId().equals(messageId));
    return CompletableFuture.completedFuture(removed);
  }

  @Override
  public synchronized CompletionStage<Void> delete(QueueId queue) {
    envelopes.remove(queue);
    byRecipient.values().remove(queue);
    bySender.values().remove(queue);
    return CompletableFuture.completedFuture(null);
  }

  private static byte[] idBytes(int n) {
    byte[] b = new byte[QueueId.LENGTH];
    b[0] = (byte) (n >> 8);
    b[1] = (byte) n;
    return b;
  }

  private static byte[] idBytes12(long n) {
    byte[] b = new byte[MessageId.LENGTH];
    b[10] = (byte) (n >> 8);
    b[11] = (byte) n;
    return b;
  }
}
