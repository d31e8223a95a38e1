package org.sealpost.proto.crypto;

import java.nio.charset.StandardCharsets;

/** Small byte-array helpers shared by the constructions of this package. */
final class Bytes {
  private Bytes() {}

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] p : parts) {
      length += p.length;
    }
    byte[] out = new byte[length];
    int off = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, off, p.length);
      off += p.length;
    }
    return out;
  }

  /** True if {@code a[off..off+len)} is all zero; runs in time independent of the contents. */
  static boolean isZero(byte[] a, int off, int len) {
    int acc = 0;
    for (int i = off; i < off + len; i++) {
      acc |= a[i];
    }
    return acc == 0;
  }

  static byte[] slice(byte[] a, int off, int len) {
    byte[] out = new byte[len];
    System.arraycopy(a, off, out, 0, len);
    return out;
  }

  static void putInt(byte[] a, int off, int v) {
    a[off] = (byte) (v >>> 24);
    a[off + 1] = (byte) (v >>> 16);
    a[off + 2] = (byte) (v >>> 8);
    a[off + 3] = (byte) v;
  }

  static long getUnsignedInt(byte[] a, int off) {
    return ((a[off] & 0xFFL) << 24)
        | ((a[off + 1] & 0xFFL) << 16)
        | ((a[off + 2] & 0xFFL) << 8)
        | (a[off + 3] & 0xFFL);
  }

  static void putShort(byte[] a, int off, int v) {
    a[off] = (byte) (v >>> 8);
    a[off + 1] = (byte) v;
  }

  static int getUnsignedShort(byte[] a, int off) {
    return ((a[off] & 0xFF) << 8) | (a[off + 1] & 0xFF);
  }

  static void requireLength(byte[] a, int length, String what) {
    if (a == null || a.length != length) {
      throw new IllegalArgumentException(
          what + " must be " + length + " bytes, got " + (a == null ? "null" : a.length));
    }
  }
}
