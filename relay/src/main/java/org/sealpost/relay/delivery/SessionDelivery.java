package org.sealpost.relay.delivery;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.vertx.core.Context;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.sealpost.mailbox.MailboxStore;
import org.sealpost.mailbox.MessageId;
import org.sealpost.mailbox.QueueId;
import org.sealpost.mailbox.StoredEnvelope;
import org.sealpost.proto.crypto.DeliveryCipher;
import org.sealpost.proto.v1.End;
import org.sealpost.proto.v1.Frame;
import org.sealpost.proto.v1.Message;
import org.sealpost.proto.v1.QuotaReached;
import org.sealpost.relay.queue.AuthorizedQueue;
import org.sealpost.relay.queue.QueueService;
import org.sealpost.relay.transport.Session;

/**
 * Delivery on one session: the queues it holds ({@link QueueBinding}), the push loop with its
 * window per subscription, and the session's envelope credit (envelope blocks read from the store
 * and not yet written), which keeps a burst of Gets or subscriptions within the connection's
 * outbound bound.
 *
 * <p>Everything runs on the session's context; store completions are brought back to it first
 * (DESIGN §7a). The registry calls the {@link Subscriber} methods on that context too.
 */
public final class SessionDelivery implements Subscriber<QueueId> {
  private final Session session;
  private final QueueService queues;
  private final SubscriptionRegistry<QueueId> registry;
  private final DeliveryCipher cipher;
  private final DeliveryLimits limits;
  private final PushSink sink;
  // sized for the common idle session (one subscribed queue, nothing waiting); they grow on demand
  private final Map<ByteString, QueueBinding> byRecipient = new HashMap<>(2);
  private final Map<QueueId, QueueBinding> byQueue = new HashMap<>(2);
  // reads that produce envelope blocks (pushes, Get replies), waiting for output room
  private final ArrayDeque<Runnable> waiting = new ArrayDeque<>(1);
  private int credit;
  private boolean awaitingWritable;
  private boolean closed;

  public SessionDelivery(
      Session session,
      QueueService queues,
      SubscriptionRegistry<QueueId> registry,
      DeliveryCipher cipher,
      DeliveryLimits limits,
      PushSink sink) {
    this.session = session;
    this.queues = queues;
    this.registry = registry;
    this.cipher = cipher;
    this.limits = limits;
    this.sink = sink;
    this.credit = limits.envelopeCredit();
  }

  // ---- what commands do ----

  /** The session's binding of an authorized queue, or null at the per-session limit. */
  public QueueBinding bind(AuthorizedQueue queue) {
    QueueBinding binding = byQueue.get(queue.queueId());
    if (binding != null) {
      return binding;
    }
    if (byQueue.size() >= limits.maxQueuesPerSession()) {
      return null;
    }
    binding = new QueueBinding(queue.queueId(), queue.recipientId(), queue.deliveryKey());
    byQueue.put(binding.queueId, binding);
    byRecipient.put(binding.recipientId, binding);
    return binding;
  }

  /** Subscribe: binds the queue to this session in the registry; call {@link #push} after Ok. */
  public void subscribe(QueueBinding binding) {
    binding.subscribed = true;
    binding.fullnessUnknown = true;
    registry.subscribe(binding.queueId, this);
  }

  /**
   * Get: reads the oldest pending envelope once the session has output room, and hands {@code done}
   * its Message frame (with {@code corr}), or null when the queue is empty, or the failure. A
   * stored envelope of the wrong size fails with {@link UndeliverableEnvelope}. Nothing is called
   * once the session is closed.
   */
  public void fetch(QueueBinding binding, int corr, BiConsumer<Frame, Throwable> done) {
    binding.fetched = true;
    whenOutputRoom(() -> readForGet(binding, corr, done));
  }

  private void readForGet(QueueBinding binding, int corr, BiConsumer<Frame, Throwable> done) {
    credit--;
    session
        .onContext(() -> queues.readPending(binding.queueId, MailboxStore.START, 1))
        .onComplete(
            ar -> {
              credit++;
              if (closed) {
                return;
              }
              if (ar.failed()) {
                done.accept(null, ar.cause());
              } else if (ar.result().isEmpty()) {
                done.accept(null, null);
              } else {
                Frame message = messageFrame(binding, ar.result().get(0), corr);
                done.accept(
                    message, message == null ? UndeliverableEnvelope.INSTANCE : (Throwable) null);
              }
              resumeWaiting();
            });
  }

  /**
   * The binding an Ack may name: only queues this session subscribed to, or read with Get, may be
   * acknowledged (Acks carry no MAC); null for any other.
   */
  public QueueBinding ackable(ByteString recipientId) {
    QueueBinding binding = byRecipient.get(recipientId);
    return binding != null && (binding.subscribed || binding.fetched) ? binding : null;
  }

  /** After an Ack completed: frees the window slot if it succeeded, and pushes what is next. */
  public void acked(QueueBinding binding, MessageId messageId, boolean succeeded) {
    if (succeeded) {
      binding.inFlight.remove(messageId);
      binding.quotaNotified = false;
    }
    push(binding);
  }

  /** DeleteQueue succeeded: forgets the queue here and ends a subscription to it elsewhere. */
  public void deleted(QueueId queueId) {
    QueueBinding binding = byQueue.remove(queueId);
    if (binding != null) {
      byRecipient.remove(binding.recipientId);
      binding.subscribed = false;
      binding.destroy();
    }
    registry.evict(queueId);
  }

  /** The session is gone: releases its subscriptions and zeroes its delivery keys. */
  public void close() {
    closed = true;
    for (QueueBinding binding : byQueue.values()) {
      if (binding.subscribed) {
        registry.unsubscribe(binding.queueId, this);
      }
      binding.destroy();
    }
    byQueue.clear();
    byRecipient.clear();
    waiting.clear();
  }

  // ---- registry events ----

  @Override
  public Context context() {
    return session.context();
  }

  @Override
  public void onPending(QueueId queue) {
    QueueBinding binding = subscribed(queue);
    if (binding == null) {
      return;
    }
    if (binding.reading) {
      binding.dirty = true;
    } else {
      push(binding);
    }
  }

  @Override
  public void onQuotaReached(QueueId queue) {
    QueueBinding binding = subscribed(queue);
    if (binding != null) {
      tellFull(binding);
      onPending(queue);
    }
  }

  @Override
  public void onEvicted(QueueId queue) {
    QueueBinding binding = subscribed(queue);
    if (binding == null || registry.isSubscribed(queue, this)) {
      return; // not ours any more, or subscribed again since
    }
    binding.subscribed = false;
    binding.resetDelivery();
    sink.push(
        PushKind.END,
        Frame.newBuilder().setEnd(End.newBuilder().setRecipientId(binding.recipientId)).build());
    if (!binding.fetched) {
      byQueue.remove(queue);
      byRecipient.remove(binding.recipientId);
      binding.destroy();
    }
  }

  private QueueBinding subscribed(QueueId queue) {
    if (closed) {
      return null;
    }
    QueueBinding binding = byQueue.get(queue);
    return binding != null && binding.subscribed ? binding : null;
  }

  // ---- the push loop ----

  /**
   * Reads and pushes pending envelopes while the window has room and the connection can take
   * output. One read per queue at a time; a notification during a read causes one more.
   */
  public void push(QueueBinding binding) {
    if (closed || !binding.subscribed || binding.reading || binding.waitingForRoom) {
      return;
    }
    int windowRoom = limits.maxWindow() - binding.inFlight.size();
    if (windowRoom <= 0) {
      return;
    }
    if (credit <= 0 || !sink.writable()) {
      binding.waitingForRoom = true;
      waiting.add(
          () -> {
            binding.waitingForRoom = false;
            push(binding);
          });
      awaitWritable();
      return;
    }
    // a few envelopes per read, so that the session's credit serves many queues at once
    int room = Math.min(windowRoom, Math.min(credit, limits.envelopesPerRead()));
    credit -= room;
    binding.reading = true;
    binding.dirty = false;
    long after = binding.lastPushed;
    session
        .onContext(() -> queues.readPending(binding.queueId, after, room))
        .onComplete(
            ar -> {
              binding.reading = false;
              credit += room;
              if (closed) {
                return;
              }
              resumeWaiting();
              if (ar.failed()) {
                sink.readFailed(ar.cause()); // the next notification tries again
                return;
              }
              if (!binding.subscribed) {
                return;
              }
              pushed(binding, ar.result(), room);
            });
  }

  private void pushed(QueueBinding binding, List<StoredEnvelope> page, int asked) {
    boolean pushed = false;
    for (StoredEnvelope envelope : page) {
      if (binding.inFlight.size() >= limits.maxWindow()) {
        break;
      }
      if (envelope.position() <= binding.lastPushed) {
        continue;
      }
      binding.lastPushed = envelope.position();
      Frame message = messageFrame(binding, envelope, 0);
      if (message != null && binding.inFlight.add(envelope.messageId())) {
        sink.push(PushKind.MESSAGE, message);
        pushed = true;
      }
    }
    if (binding.fullnessUnknown) {
      binding.fullnessUnknown = false;
      // a page that came back short holds every pending envelope: fewer than the quota
      int read = page.size();
      if (read == asked || read >= limits.maxQueueMessages()) {
        askIfFull(binding);
      }
    }
    if (pushed || binding.dirty) {
      push(binding);
    }
  }

  /**
   * A recipient who subscribes to a full queue learns in-band that senders are being refused
   * (protocol §4.4): a refused Send while nobody was subscribed left no other trace. Asked only
   * when the subscription's first read hints the queue may be full, so resubscribing thousands of
   * mostly empty queues costs no extra store reads.
   */
  private void askIfFull(QueueBinding binding) {
    session
        .onContext(() -> queues.isFull(binding.queueId))
        .onComplete(
            ar -> {
              // a failure here changes nothing: the next refused Send tells it
              if (!closed && binding.subscribed && ar.succeeded() && ar.result()) {
                tellFull(binding);
              }
            });
  }

  private void tellFull(QueueBinding binding) {
    if (binding.quotaNotified) {
      return;
    }
    binding.quotaNotified = true;
    sink.push(
        PushKind.QUOTA_REACHED,
        Frame.newBuilder()
            .setQuotaReached(QuotaReached.newBuilder().setRecipientId(binding.recipientId))
            .build());
  }

  // ---- output room ----

  /**
   * Runs a read that yields an envelope block now if the session has credit and the connection can
   * take output, else once it can.
   */
  private void whenOutputRoom(Runnable read) {
    if (waiting.isEmpty() && credit > 0 && sink.writable()) {
      read.run();
    } else {
      waiting.add(read);
      awaitWritable();
    }
  }

  private void resumeWaiting() {
    while (!waiting.isEmpty() && !closed && credit > 0 && sink.writable()) {
      waiting.poll().run();
    }
    if (!waiting.isEmpty()) {
      awaitWritable();
    }
  }

  /** Asks to be called when the connection drains (credit comes back with each read). */
  private void awaitWritable() {
    if (!awaitingWritable && !sink.writable() && !closed) {
      awaitingWritable = true;
      session.writableHandler(
          () -> {
            awaitingWritable = false;
            if (!closed) {
              resumeWaiting();
            }
          });
    }
  }

  /** A Message frame for an envelope, or null if the stored envelope is not E bytes long. */
  private Frame messageFrame(QueueBinding binding, StoredEnvelope envelope, int corr) {
    if (envelope.envelope().length != limits.envelopeSize()) {
      return null; // stored under another block size: cannot be delivered on this relay
    }
    byte[] messageId = envelope.messageId().bytes();
    byte[] ciphertext =
        cipher.encrypt(
            binding.deliveryKey, messageId, binding.recipientIdBytes, envelope.envelope());
    return Frame.newBuilder()
        .setCorrId(corr)
        .setMessage(
            Message.newBuilder()
                .setRecipientId(binding.recipientId)
                .setMessageId(UnsafeByteOperations.unsafeWrap(messageId))
                .setEncryptedEnvelope(UnsafeByteOperations.unsafeWrap(ciphertext)))
        .build();
  }
}
