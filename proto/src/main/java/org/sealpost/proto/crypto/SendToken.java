package org.sealpost.proto.crypto;

import java.security.MessageDigest;

/**
 * Send tokens of secured queues (protocol.md §5): 16 random bytes registered by the recipient with
 * SecureQueue and presented with every Send.
 *
 * <p>{@link #matches} compares in constant time and takes the same time when no token is stored
 * (pass {@code null} as expected): the relay calls it for a Send to an unknown sender ID too, so
 * "no such queue" and "wrong token" are the same {@code AUTH} error after the same work.
 */
public final class SendToken {
  /** Length of a send token. */
  public static final int LENGTH = 16;

  // Only ever read: compared against when no token is stored; the result is then discarded.
  private static final byte[] DUMMY = new byte[LENGTH];

  private SendToken() {}

  /** A fresh random token. */
  public static byte[] random(RandomSource random) {
    return random.bytes(LENGTH);
  }

  /**
   * Whether {@code given} equals {@code expected}, in time independent of their contents.
   *
   * @param expected the stored token, or {@code null} if there is none (unknown sender ID): the
   *     result is then {@code false} after the same comparison
   * @param given the token from the wire, possibly {@code null} or of the wrong length (then {@code
   *     false})
   */
  public static boolean matches(byte[] expected, byte[] given) {
    boolean present = expected != null && expected.length == LENGTH;
    boolean givenOk = given != null && given.length == LENGTH;
    // The first argument of isEqual fixes the loop length: always 16 bytes.
    boolean equal = MessageDigest.isEqual(present ? expected : DUMMY, givenOk ? given : DUMMY);
    return equal & present & givenOk;
  }
}
