package org.sealpost.mailbox;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The store's internal handle of a queue: 16 random bytes, unrelated to the recipient and sender
 * IDs. Obtained from {@link QueueRecord#queueId()}; {@link #toString()} never shows the bytes.
 */
public final class QueueId {
  public static final int LENGTH = 16;

  private final byte[] bytes;
  private final int hash;

  private QueueId(byte[] bytes) {
    this.bytes = bytes;
    this.hash = Arrays.hashCode(bytes);
  }

  /** Wraps a copy of {@code bytes}, which must be {@value #LENGTH} bytes long. */
  public static QueueId of(byte[] bytes) {
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("a queue id has " + LENGTH + " bytes");
    }
    return new QueueId(bytes.clone());
  }

  /** A copy of the 16 bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** Copies the 16 bytes into {@code dst} at {@code offset}. */
  public void copyTo(byte[] dst, int offset) {
    System.arraycopy(bytes, 0, dst, offset, LENGTH);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof QueueId && MessageDigest.isEqual(bytes, ((QueueId) o).bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return "QueueId[redacted]";
  }
}
