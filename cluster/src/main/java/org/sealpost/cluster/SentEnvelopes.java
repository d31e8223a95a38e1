package org.sealpost.cluster;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Issue 14 (session 11): the envelopes this node sent to other nodes' shards, kept until the
 * owner's pending event for each comes back, so that the event need not carry the envelope back to
 * the node it came from. Each Send gets a ticket; the owner's event names the ticket instead of the
 * envelope's bytes when it goes to the node that sent it ({@link EventBatch}), and this node puts
 * the envelope it kept into its copy of the queue's tail ({@link RemoteTails}).
 *
 * <p>A kept envelope that is never claimed (its event lost with a broken connection, the Send
 * refused before the store) would stay, so the bounds evict the oldest first: at most {@link
 * #MAX_ENTRIES} envelopes and {@code maxBytes} in all. An event naming a ticket that is gone only
 * costs the queue its tail copy (the next read goes over the bus), never a delivery. Holds sealed
 * envelopes in this process only, by ticket (a counter): no queue ID. Thread-safe: Sends are kept
 * on the relay's event loops, events claim them on the cluster's.
 */
final class SentEnvelopes {
  /** Envelopes kept at most: about four Send batches of 64 to each of 16 shards in flight. */
  static final int MAX_ENTRIES = 4096;

  /** The default budget for the envelopes kept, in bytes. */
  static final long DEFAULT_MAX_BYTES = 16L << 20;

  private final LinkedHashMap<Long, byte[]> kept = new LinkedHashMap<>();
  private final long maxBytes;
  private long bytes;
  private long next;
  private long claimed;
  private long missed;

  SentEnvelopes() {
    this(DEFAULT_MAX_BYTES);
  }

  SentEnvelopes(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /**
   * Keeps {@code envelope} (the caller hands the array over and does not change it) until its event
   * claims it; returns its ticket, never 0.
   */
  synchronized long keep(byte[] envelope) {
    long ticket = ++next;
    kept.put(ticket, envelope);
    bytes += envelope.length;
    Iterator<Map.Entry<Long, byte[]>> oldest = kept.entrySet().iterator();
    while (kept.size() > MAX_ENTRIES || bytes > maxBytes) {
      bytes -= oldest.next().getValue().length;
      oldest.remove();
    }
    return ticket;
  }

  /** The envelope kept under {@code ticket}, no longer kept; null if it is gone. */
  synchronized byte[] claim(long ticket) {
    byte[] envelope = kept.remove(ticket);
    if (envelope == null) {
      missed++;
      return null;
    }
    claimed++;
    bytes -= envelope.length;
    return envelope;
  }

  /** The Send under {@code ticket} failed: no event will claim it. */
  synchronized void drop(long ticket) {
    byte[] envelope = kept.remove(ticket);
    if (envelope != null) {
      bytes -= envelope.length;
    }
  }

  /** Forgets everything (the membership changed: the events of what is kept may be lost). */
  synchronized void clear() {
    kept.clear();
    bytes = 0;
  }

  /** Envelopes kept now (for tests). */
  synchronized int size() {
    return kept.size();
  }

  /** Bytes kept now (for tests). */
  synchronized long bytes() {
    return bytes;
  }

  /** Events that found their envelope here, and those that did not (aggregates, benchmarks). */
  synchronized long[] counts() {
    return new long[] {claimed, missed};
  }
}
