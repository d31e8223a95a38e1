package org.sealpost.proto.crypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HKDF with HMAC-SHA256 (RFC 5869). */
public final class Hkdf {
  /** Output length of SHA-256 in bytes. */
  public static final int HASH_LENGTH = 32;

  private Hkdf() {}

  /**
   * Extract-then-expand: returns {@code length} bytes of output keying material.
   *
   * @param salt may be empty, meaning HashLen zero bytes as RFC 5869 §2.2 says
   * @throws IllegalArgumentException if {@code length} is not in 1..255*32
   */
  public static byte[] derive(byte[] salt, byte[] ikm, byte[] info, int length) {
    byte[] prk = extract(salt, ikm);
    try {
      return expand(prk, info, length);
    } finally {
      Arrays.fill(prk, (byte) 0);
    }
  }

  /** HKDF-Extract: {@code PRK = HMAC-SHA256(salt, ikm)}. */
  public static byte[] extract(byte[] salt, byte[] ikm) {
    // An empty salt and HashLen zero bytes are the same HMAC key (keys are zero-padded to the
    // block size); the JDK refuses empty keys, so pass the zeros explicitly.
    byte[] key = salt.length == 0 ? new byte[HASH_LENGTH] : salt;
    Mac mac = hmac(key);
    return mac.doFinal(ikm);
  }

  /** HKDF-Expand from a pseudorandom key of at least 32 bytes. */
  public static byte[] expand(byte[] prk, byte[] info, int length) {
    if (length < 1 || length > 255 * HASH_LENGTH) {
      throw new IllegalArgumentException("HKDF length must be in 1..8160, got " + length);
    }
    Mac mac = hmac(prk);
    byte[] out = new byte[length];
    byte[] t = new byte[0];
    int off = 0;
    for (int i = 1; off < length; i++) {
      mac.update(t);
      mac.update(info);
      mac.update((byte) i);
      Arrays.fill(t, (byte) 0);
      t = mac.doFinal();
      int n = Math.min(t.length, length - off);
      System.arraycopy(t, 0, out, off, n);
      off += n;
    }
    Arrays.fill(t, (byte) 0);
    return out;
  }

  static Mac hmac(byte[] key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac;
    } catch (GeneralSecurityException e) {
      // Every Java SE runtime ships HmacSHA256; reaching this is a broken JDK.
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
