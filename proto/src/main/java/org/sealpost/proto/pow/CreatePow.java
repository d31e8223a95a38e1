package org.sealpost.proto.pow;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The proof of work a relay may demand for CreateQueue (docs/protocol.md §4.3): an 8-byte nonce
 * such that {@code SHA-256("sealpost create pow v1" ‖ 0x00 ‖ h ‖ R_q ‖ nonce)} starts with at least
 * {@code bits} zero bits, where h is the session's handshake hash and R_q the queue key the command
 * carries. Binding h stops proofs made in advance or on another session; binding R_q makes each
 * proof good for one queue. Finding one costs 2^bits hashes on average; checking one costs one.
 */
public final class CreatePow {
  /** Length of the nonce. */
  public static final int NONCE_BYTES = 8;

  /** Largest difficulty a relay may ask for (and a client will attempt). */
  public static final int MAX_BITS = 32;

  private static final byte[] LABEL =
      "sealpost create pow v1\0".getBytes(StandardCharsets.US_ASCII);

  private CreatePow() {}

  /** Whether {@code nonce} proves {@code bits} of work for this session and queue key. */
  public static boolean verify(byte[] handshakeHash, byte[] queueKey, byte[] nonce, int bits) {
    if (bits <= 0) {
      return true;
    }
    if (nonce == null || nonce.length != NONCE_BYTES || bits > MAX_BITS) {
      return false;
    }
    return leadingZeroBits(digest(sha256(), handshakeHash, queueKey, nonce)) >= bits;
  }

  /**
   * Finds a nonce by counting up from {@code start}. CPU-bound for 2^bits hashes on average: call
   * it on a worker thread, never an event loop.
   *
   * @throws IllegalArgumentException if bits is outside 1..{@link #MAX_BITS}
   */
  public static byte[] solve(byte[] handshakeHash, byte[] queueKey, int bits, long start) {
    if (bits < 1 || bits > MAX_BITS) {
      throw new IllegalArgumentException("difficulty must be 1.." + MAX_BITS + " bits");
    }
    MessageDigest sha256 = sha256();
    byte[] nonce = new byte[NONCE_BYTES];
    for (long n = start; ; n++) {
      for (int i = 0; i < NONCE_BYTES; i++) {
        nonce[i] = (byte) (n >>> (56 - 8 * i));
      }
      if (leadingZeroBits(digest(sha256, handshakeHash, queueKey, nonce)) >= bits) {
        return nonce;
      }
    }
  }

  private static byte[] digest(MessageDigest sha256, byte[] h, byte[] queueKey, byte[] nonce) {
    sha256.update(LABEL);
    sha256.update(h);
    sha256.update(queueKey);
    sha256.update(nonce);
    return sha256.digest();
  }

  static int leadingZeroBits(byte[] digest) {
    int bits = 0;
    for (byte b : digest) {
      if (b == 0) {
        bits += 8;
      } else {
        return bits + Integer.numberOfLeadingZeros(b & 0xff) - 24;
      }
    }
    return bits;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
    }
  }
}
