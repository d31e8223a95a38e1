package org.sealpost.proto;

/**
 * Padmé padding (Nikitin et al., "Reducing Metadata Leakage from Encrypted Files and Communication
 * with PURBs", PETS 2019): rounds a length up so that only O(log log L) bits of it remain visible,
 * with at most 12 % overhead. Used to choose how many blocks a multi-block payload occupies.
 */
public final class Padme {
  private Padme() {}

  /**
   * Returns the padded length for {@code length}, which is never smaller than {@code length}.
   *
   * @throws IllegalArgumentException if {@code length} is negative
   */
  public static long paddedLength(long length) {
    if (length < 0) {
      throw new IllegalArgumentException("length must not be negative");
    }
    if (length < 2) {
      return length;
    }
    int e = 63 - Long.numberOfLeadingZeros(length); // floor(log2 L)
    int s = 32 - Integer.numberOfLeadingZeros(e); // floor(log2 E) + 1
    int lastBits = e - s;
    long bitMask = (1L << lastBits) - 1;
    return (length + bitMask) & ~bitMask;
  }
}
