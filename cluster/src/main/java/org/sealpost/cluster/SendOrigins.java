package org.sealpost.cluster;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Issue 14 (session 11): on a shard's owner, which node sent each envelope being stored for another
 * node, and under which of that node's tickets ({@link SentEnvelopes}), so that the pending event
 * going back to that node names the ticket instead of carrying the envelope again ({@link
 * EventBatch}).
 *
 * <p>Keyed by the envelope array itself: the store hands the caller's array back with the durable
 * append ({@code MailboxStore.append}'s {@code onDurable}), so the event finds the Send it belongs
 * to without any queue ID or hash being kept. An entry lives from the Send's arrival until its
 * event ({@link #take}) or its refusal ({@link #forget}). Thread-safe: Sends arrive on the
 * cluster's event loop, events on the shard store's completion thread.
 */
final class SendOrigins {
  /** A Send's origin: the node's index in the shard map's node list, and its ticket there. */
  record Origin(int node, long ticket) {}

  private final Map<byte[], Origin> origins = new IdentityHashMap<>();

  /** The Send of {@code envelope} came from {@code node} under {@code ticket}. */
  synchronized void put(byte[] envelope, int node, long ticket) {
    origins.put(envelope, new Origin(node, ticket));
  }

  /** The origin of {@code envelope}, no longer kept; null for a Send made on this node. */
  synchronized Origin take(byte[] envelope) {
    return origins.remove(envelope);
  }

  /** The Send of {@code envelope} was refused or failed: no event will take it. */
  synchronized void forget(byte[] envelope) {
    origins.remove(envelope);
  }

  /** Sends in progress (for tests). */
  synchronized int size() {
    return origins.size();
  }
}
