package org.sealpost.cluster;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.List;
import org.sealpost.mailbox.QueueId;
import org.sealpost.mailbox.StoredEnvelope;

/**
 * Issue 14 (session 9): one shard's pending events, sent to the other nodes in batches. The shard
 * store's completion thread adds the events of a commit one by one, in commit order (so a queue's
 * in position order: {@code MailboxStore.append}'s {@code onDurable}); the first added asks the
 * cluster's event loop to send, and whatever was added by the time it runs leaves as one bus
 * message per node. Nothing waits for a timer: a lone event leaves after one hand-off to the event
 * loop, a group commit's events leave together.
 *
 * <p>Session 11: each node gets its own copy of the batch, the same events under the same number,
 * so that an envelope another node sent ({@link SendOrigins}) goes back to that node as its ticket
 * only ({@link ShardWire#EVENT_SENT_HERE}): the node kept the bytes ({@link SentEnvelopes}). Every
 * other node gets the envelope.
 *
 * <p>The owner numbers each batch (a random incarnation per start, then 1, 2, 3, ...), so a node
 * that missed one sees the gap ({@link EventOrder}). Holds queue IDs and sealed envelopes in this
 * process only until they are sent. Thread-safe.
 */
final class EventBatch {
  /** Events per batch at most; a full batch is sealed and waits for the send in order. */
  static final int MAX_EVENTS = 64;

  /** Envelope bytes per batch at most, likewise. */
  static final int MAX_BYTES = 1 << 20;

  // the header: operation byte, incarnation, number, count (the offsets seal() writes at)
  private static final int AT_INCARNATION = 1;
  private static final int AT_NUMBER = AT_INCARNATION + 8;
  private static final int AT_COUNT = AT_NUMBER + 8;
  private static final int HEADER = AT_COUNT + 4;

  private final EventBus bus;
  // by node index (the shard map's order); null for this node
  private final String[] addresses;
  private final SendOrigins origins;
  private final Context context;
  private final long incarnation = new SecureRandom().nextLong();
  private final ArrayDeque<Buffer[]> sealed = new ArrayDeque<>();
  private long seq;
  // the open batch, one body per node, each with its header (op, incarnation, number, count)
  // reserved in front and written when it is sealed: the events are copied once per node, into the
  // buffers the bus sends
  private Buffer[] events;
  private int count;
  private boolean scheduled;
  private long published;

  /**
   * @param addresses where each node takes this shard's batches, by its index in the shard map's
   *     node list ({@link ShardWire#eventAddress(int, String)}); null for this node
   * @param origins the nodes the envelopes being stored came from (null: every event carries its
   *     envelope)
   * @param context where every batch is sent from (the cluster's event loop): one thread, so the
   *     bus carries them in number order
   */
  EventBatch(EventBus bus, List<String> addresses, SendOrigins origins, Context context) {
    this.bus = bus;
    this.addresses = addresses.toArray(new String[0]);
    this.origins = origins;
    this.context = context;
  }

  /** The addresses of {@code shard}'s batches on every node but {@code self}, by node index. */
  static List<String> addresses(int shard, List<String> nodes, String self) {
    return nodes.stream()
        .map(n -> n.equals(self) ? null : ShardWire.eventAddress(shard, n))
        .toList();
  }

  /** A new body with room for its header and about {@code firstEvent} bytes of events. */
  private static Buffer open(int firstEvent) {
    Buffer b = Buffer.buffer(HEADER + Math.max(firstEvent, 256));
    return b.appendByte(ShardWire.EVENT_PENDING_BATCH).appendLong(0).appendLong(0).appendInt(0);
  }

  /** Adds {@code appended} of {@code queue} (copied now: its array stays the caller's). */
  void add(QueueId queue, StoredEnvelope appended) {
    SendOrigins.Origin origin = origins == null ? null : origins.take(appended.envelope());
    int eventBytes = 1 + QueueId.LENGTH + ShardWire.ENVELOPE_FIELDS + appended.envelope().length;
    boolean schedule;
    synchronized (this) {
      if (count == 0) {
        events = new Buffer[addresses.length];
        for (int node = 0; node < addresses.length; node++) {
          events[node] = addresses[node] == null ? null : open(eventBytes);
        }
      }
      int largest = 0;
      for (int node = 0; node < addresses.length; node++) {
        Buffer b = events[node];
        if (b == null) {
          continue;
        }
        if (origin != null && origin.node() == node) {
          b.appendByte(ShardWire.EVENT_SENT_HERE);
          ShardWire.sentHere(ShardWire.queue(b, queue), appended, origin.ticket());
        } else {
          b.appendByte(ShardWire.EVENT_ENVELOPE);
          ShardWire.envelope(ShardWire.queue(b, queue), appended);
        }
        largest = Math.max(largest, b.length() - HEADER);
      }
      count++;
      if (count >= MAX_EVENTS || largest >= MAX_BYTES) {
        seal();
      }
      schedule = !scheduled;
      scheduled = true;
    }
    if (schedule) {
      context.runOnContext(v -> flush());
    }
  }

  /** Batches sent so far, each to every other node (for tests: how many events shared one). */
  synchronized long published() {
    return published;
  }

  // on the context: everything sealed, then what is open, in number order
  private synchronized void flush() {
    scheduled = false;
    seal();
    for (Buffer[] bodies = sealed.poll(); bodies != null; bodies = sealed.poll()) {
      published++;
      for (int node = 0; node < addresses.length; node++) {
        if (bodies[node] != null) {
          bus.send(addresses[node], bodies[node]);
        }
      }
    }
  }

  // under the lock: numbers the open batch and sets it aside for the next flush
  private void seal() {
    if (count == 0) {
      return;
    }
    long number = ++seq;
    for (Buffer b : events) {
      if (b != null) {
        b.setLong(AT_INCARNATION, incarnation).setLong(AT_NUMBER, number).setInt(AT_COUNT, count);
      }
    }
    sealed.add(events);
    events = null; // the next add opens bodies sized for its event
    count = 0;
  }
}
