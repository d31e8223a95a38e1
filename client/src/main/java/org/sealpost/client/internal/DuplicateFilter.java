package org.sealpost.client.internal;

import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.LinkedHashSet;

/**
 * Remembers the envelope IDs of the most recent messages handed to the application, so that a
 * redelivery (delivery is at least once) is dropped. Bounded: once full, the oldest ID is
 * forgotten. Thread-safe: one filter serves every connection of a client.
 */
public final class DuplicateFilter {
  private final int capacity;
  private final LinkedHashSet<ByteBuffer> seen = new LinkedHashSet<>();

  public DuplicateFilter(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1");
    }
    this.capacity = capacity;
  }

  /** Whether this envelope ID was already {@link #remember remembered}. */
  synchronized boolean seen(byte[] envelopeId) {
    return seen.contains(ByteBuffer.wrap(envelopeId));
  }

  /** Records an envelope ID as delivered, forgetting the oldest when full. */
  synchronized void remember(byte[] envelopeId) {
    if (seen.add(ByteBuffer.wrap(envelopeId.clone())) && seen.size() > capacity) {
      Iterator<ByteBuffer> oldest = seen.iterator();
      oldest.next();
      oldest.remove();
    }
  }

  synchronized int size() {
    return seen.size();
  }
}
