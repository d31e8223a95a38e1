package org.sealpost.proto.crypto.noise;

import java.security.SecureRandom;

/** Hands out fixed bytes in order, so handshakes with "random" ephemeral keys are reproducible. */
final class FixedSecureRandom extends SecureRandom {
  private static final long serialVersionUID = 1L;
  private final byte[] bytes;
  private int pos;

  FixedSecureRandom(byte[]... chunks) {
    int n = 0;
    for (byte[] c : chunks) {
      n += c.length;
    }
    bytes = new byte[n];
    int p = 0;
    for (byte[] c : chunks) {
      System.arraycopy(c, 0, bytes, p, c.length);
      p += c.length;
    }
  }

  @Override
  public synchronized void nextBytes(byte[] out) {
    if (pos + out.length > bytes.length) {
      throw new IllegalStateException("fixed random bytes exhausted");
    }
    System.arraycopy(bytes, pos, out, 0, out.length);
    pos += out.length;
  }
}
