package org.sealpost.cluster;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import org.sealpost.mailbox.QueueId;
import org.sealpost.mailbox.StoredEnvelope;

/**
 * Issue 14 (session 9): one shard's pending events, published to the other nodes in batches. The
 * shard store's completion thread adds the events of a commit one by one, in commit order (so a
 * queue's in position order: {@code MailboxStore.append}'s {@code onDurable}); the first added asks
 * the cluster's event loop to publish, and whatever was added by the time it runs leaves as one bus
 * message. Nothing waits for a timer: a lone event leaves after one hand-off to the event loop (as
 * a publish from the completion thread was handed off before), a group commit's events leave
 * together.
 *
 * <p>The owner numbers each batch (a random incarnation per start, then 1, 2, 3, ...), so a node
 * that missed one sees the gap ({@link EventOrder}). Holds queue IDs and sealed envelopes in this
 * process only until they are published. Thread-safe.
 */
final class EventBatch {
  /** Events per batch at most; a full batch is sealed and waits for the publish in order. */
  static final int MAX_EVENTS = 64;

  /** Envelope bytes per batch at most, likewise. */
  static final int MAX_BYTES = 1 << 20;

  // the header: operation byte, incarnation, number, count (the offsets seal() writes at)
  private static final int AT_INCARNATION = 1;
  private static final int AT_NUMBER = AT_INCARNATION + 8;
  private static final int AT_COUNT = AT_NUMBER + 8;
  private static final int HEADER = AT_COUNT + 4;

  private final EventBus bus;
  private final String address;
  private final Context context;
  private final long incarnation = new SecureRandom().nextLong();
  private final ArrayDeque<Buffer> sealed = new ArrayDeque<>();
  private long seq;
  // the open batch, its header (op, incarnation, number, count) reserved in front and written when
  // it is sealed: the events are copied once, into the buffer the bus sends
  private Buffer events;
  private int count;
  private boolean scheduled;
  private long published;

  /**
   * @param context where every batch is published from (the cluster's event loop): one thread, so
   *     the bus carries them in number order
   */
  EventBatch(EventBus bus, String address, Context context) {
    this.bus = bus;
    this.address = address;
    this.context = context;
  }

  /** A new open batch with room for its header and about {@code firstEvent} bytes of events. */
  private static Buffer open(int firstEvent) {
    Buffer b = Buffer.buffer(HEADER + Math.max(firstEvent, 256));
    return b.appendByte(ShardWire.EVENT_PENDING_BATCH).appendLong(0).appendLong(0).appendInt(0);
  }

  /** Adds {@code appended} of {@code queue} (copied now: its array stays the caller's). */
  void add(QueueId queue, StoredEnvelope appended) {
    boolean schedule;
    synchronized (this) {
      if (count == 0) {
        events = open(QueueId.LENGTH + ShardWire.ENVELOPE_FIELDS + appended.envelope().length);
      }
      ShardWire.envelope(ShardWire.queue(events, queue), appended);
      count++;
      if (count >= MAX_EVENTS || events.length() - HEADER >= MAX_BYTES) {
        seal();
      }
      schedule = !scheduled;
      scheduled = true;
    }
    if (schedule) {
      context.runOnContext(v -> flush());
    }
  }

  /** Batches published so far (for tests: how many events shared one). */
  synchronized long published() {
    return published;
  }

  // on the context: everything sealed, then what is open, in number order
  private synchronized void flush() {
    scheduled = false;
    seal();
    for (Buffer body = sealed.poll(); body != null; body = sealed.poll()) {
      published++;
      bus.publish(address, body);
    }
  }

  // under the lock: numbers the open batch and sets it aside for the next flush
  private void seal() {
    if (count == 0) {
      return;
    }
    sealed.add(
        events
            .setLong(AT_INCARNATION, incarnation)
            .setLong(AT_NUMBER, ++seq)
            .setInt(AT_COUNT, count));
    events = null; // the next add opens one sized for its event
    count = 0;
  }
}
