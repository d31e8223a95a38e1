package org.sealpost.benchmarks.load;

import java.nio.ByteBuffer;

/**
 * The content of one benchmark message: the intended send time, the actual send time and the
 * message index in its first 20 bytes, then filler up to the content size. The clock is {@link
 * System#nanoTime()} of this JVM, which both sends and receives.
 */
public final class Payload {
  /** Bytes taken by the header; content must be at least this long. */
  public static final int HEADER = 20;

  private Payload() {}

  /** A new message of {@code size} bytes. */
  public static byte[] create(int size, long intendedNanos, long sentNanos, int index) {
    if (size < HEADER) {
      throw new IllegalArgumentException("content must be at least " + HEADER + " bytes");
    }
    byte[] b = new byte[size];
    ByteBuffer.wrap(b).putLong(intendedNanos).putLong(sentNanos).putInt(index);
    for (int i = HEADER; i < size; i++) {
      b[i] = (byte) ('a' + i % 26);
    }
    return b;
  }

  /** Overwrites the actual send time, for senders that stamp just before handing over. */
  public static void stampSent(byte[] content, long sentNanos) {
    ByteBuffer.wrap(content).putLong(8, sentNanos);
  }

  public static long intendedNanos(byte[] content) {
    return ByteBuffer.wrap(content).getLong(0);
  }

  public static long sentNanos(byte[] content) {
    return ByteBuffer.wrap(content).getLong(8);
  }

  public static int index(byte[] content) {
    return ByteBuffer.wrap(content).getInt(16);
  }
}
