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
  private final DeliverySchedule schedule;
  // sized for the common idle session (one subscribed queue, nothing waiting); they grow on demand
  private final Map<ByteString, QueueBinding> byRecipient = new HashMap<>(2);
  private final Map<QueueId, QueueBinding> byQueue = new HashMap<>(2);
  // reads that produce envelope blocks (pushes, Get replies), waiting for output room
  private final ArrayDeque<Runnable> waiting = new ArrayDeque<>(1);
  private int credit;
  private boolean awaitingWritable;
  private boolean resuming;
  private boolean closed;

  public SessionDelivery(
      Session session,
      QueueService queues,
      SubscriptionRegistry<QueueId> registry,
      DeliveryCipher cipher,
      DeliveryLimits limits,
      PushSink sink,
      DeliverySchedule schedule) {
    this.session = session;
    this.schedule = schedule;
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
    sink.subscribed();
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
    // the oldest deliverable envelope: held-back ones (issue 10) are skipped, a page at a time
    int page = schedule.holdsBack() ? limits.envelopesPerRead() : 1;
    credit -= page;
    readPageForGet(binding, MailboxStore.START, page, corr, done);
  }

  private void readPageForGet(
      QueueBinding binding, long after, int page, int corr, BiConsumer<Frame, Throwable> done) {
    session
        .onContext(() -> queues.readPending(binding.queueId, after, page))
        .onComplete(
            ar -> {
              if (closed) {
                credit += page;
                return;
              }
              StoredEnvelope found = null;
              if (ar.succeeded()) {
                long now = schedule.now();
                for (StoredEnvelope e : ar.result()) {
                  if (schedule.deliverable(e.notBefore(), now)) {
                    found = e;
                    break;
                  }
                }
                List<StoredEnvelope> read = ar.result();
                if (found == null && read.size() >= page) {
                  readPageForGet(binding, read.get(read.size() - 1).position(), page, corr, done);
                  return;
                }
              }
              credit += page;
              if (ar.failed()) {
                done.accept(null, ar.cause());
              } else if (found == null) {
                done.accept(null, null);
              } else {
                Frame message = messageFrame(binding, found, corr);
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
      cancelWake(binding);
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
      cancelWake(binding);
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
    cancelWake(binding);
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
    readForPush(binding, binding.cursor.readAfter(), room, true);
  }

  /**
   * One page of a push pass. A pass reads on past envelopes that are held back (issue 10) while
   * pages come back full and pushes have room; it holds {@code room} credit throughout.
   */
  private void readForPush(QueueBinding binding, long after, int room, boolean first) {
    session
        .onContext(() -> queues.readPending(binding.queueId, after, room))
        .onComplete(
            ar -> {
              if (closed) {
                binding.reading = false;
                credit += room;
                return;
              }
              if (ar.failed() || !binding.subscribed) {
                endPass(binding, room);
                if (ar.failed()) {
                  sink.readFailed(ar.cause()); // the next notification tries again
                }
                return;
              }
              List<StoredEnvelope> page = ar.result();
              int pushRoom = limits.maxWindow() - binding.inFlight.size();
              long released = schedule.releasedUpTo();
              DeliveryCursor.Scan scan =
                  binding.cursor.scan(
                      page, after, page.size() >= room, pushRoom, schedule.now(), schedule);
              boolean pushed = pushAll(binding, scan.toPush());
              armWake(binding, scan.wakeAt());
              if (scan.awaitsRound()) {
                awaitRound(binding, released);
              }
              if (first && binding.fullnessUnknown) {
                binding.fullnessUnknown = false;
                // a page that came back short holds every pending envelope: fewer than the quota
                if (page.size() == room || page.size() >= limits.maxQueueMessages()) {
                  askIfFull(binding);
                }
              }
              if (scan.continueAfter() >= 0
                  && binding.inFlight.size() < limits.maxWindow()
                  && schedule.holdsBack()) {
                readForPush(binding, scan.continueAfter(), room, false);
                return;
              }
              endPass(binding, room);
              if (pushed || binding.dirty) {
                push(binding);
              }
            });
  }

  private void endPass(QueueBinding binding, int room) {
    binding.reading = false;
    credit += room;
    resumeWaiting();
  }

  private boolean pushAll(QueueBinding binding, List<StoredEnvelope> envelopes) {
    boolean pushed = false;
    for (StoredEnvelope envelope : envelopes) {
      Frame message = messageFrame(binding, envelope, 0);
      if (message != null && binding.inFlight.add(envelope.messageId())) {
        sink.push(PushKind.MESSAGE, message);
        pushed = true;
      }
    }
    return pushed;
  }

  /**
   * Pushes again when the earliest held-back envelope seen matures: a timer on this context, in
   * memory only. A later timer already set is replaced; an earlier one is kept (it re-arms).
   */
  private void armWake(QueueBinding binding, long at) {
    if (at == Long.MAX_VALUE || at >= binding.wakeTimerAt) {
      return;
    }
    cancelWake(binding);
    long delay = Math.max(1, at - schedule.now());
    binding.wakeTimerAt = at;
    binding.wakeTimer =
        session
            .context()
            .owner()
            .setTimer(
                delay,
                id -> {
                  if (binding.wakeTimer == id) {
                    binding.wakeTimer = -1;
                    binding.wakeTimerAt = Long.MAX_VALUE;
                    onPending(binding.queueId);
                  }
                });
  }

  /** Pushes again after the next round of timed batches: once per binding and round. */
  private void awaitRound(QueueBinding binding, long released) {
    if (binding.awaitingRound) {
      return;
    }
    binding.awaitingRound = true;
    schedule.whenReleased(
        session.context(),
        () -> {
          binding.awaitingRound = false;
          onPending(binding.queueId); // ignored once the session or subscription is gone
        },
        released);
  }

  private void cancelWake(QueueBinding binding) {
    if (binding.wakeTimer >= 0) {
      session.context().owner().cancelTimer(binding.wakeTimer);
      binding.wakeTimer = -1;
      binding.wakeTimerAt = Long.MAX_VALUE;
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
    if (resuming) {
      // called again from a read that completed at once (the pending cache answers on this
      // thread) inside the loop below, which goes on with the next waiting read itself: running
      // it here instead nested one stack frame chain per waiting queue, and 10,000 waiting
      // subscriptions overflowed the event loop's stack (ResubscribeIT, 2026-12-06)
      return;
    }
    resuming = true;
    try {
      while (!waiting.isEmpty() && !closed && credit > 0 && sink.writable()) {
        waiting.poll().run();
      }
    } finally {
      resuming = false;
    }
    if (!waiting.isEmpty()) {
      awaitWritable();
    }
  }

  /** Asks to be called when the connection drains (credit comes back with each read). */
  private void awaitWritable() {
    if (!awaitingWritable && !sink.writable() && !closed) {
      awaitingWritable = true;
      sink.whenWritable(
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
