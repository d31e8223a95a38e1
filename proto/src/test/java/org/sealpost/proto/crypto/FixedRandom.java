package org.sealpost.proto.crypto;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** A {@link RandomSource} that hands out given byte strings in order, each exactly once. */
final class FixedRandom implements RandomSource {
  private final Deque<byte[]> chunks;

  FixedRandom(byte[]... chunks) {
    this.chunks = new ArrayDeque<>(List.of(chunks));
  }

  @Override
  public void nextBytes(byte[] out) {
    byte[] next = chunks.poll();
    if (next == null || next.length != out.length) {
      throw new AssertionError(
          "unexpected random draw of "
              + out.length
              + " bytes; next scripted chunk "
              + (next == null ? "none" : next.length + " bytes"));
    }
    System.arraycopy(next, 0, out, 0, out.length);
  }

  boolean exhausted() {
    return chunks.isEmpty();
  }
}
