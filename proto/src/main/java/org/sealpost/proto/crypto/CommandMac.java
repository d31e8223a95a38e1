package org.sealpost.proto.crypto;

import java.security.MessageDigest;
import javax.crypto.Mac;

/**
 * The MAC of a recipient command (protocol.md §5):
 *
 * <pre>
 * mac = HMAC-SHA256(mac_key, h ‖ recipient_id ‖ command)
 * </pre>
 *
 * where {@code h} is the 32-byte Noise handshake hash of the session, {@code recipient_id} the
 * 32-byte recipient ID and {@code command} the exact serialized {@code RecipientOp} bytes received.
 *
 * <p><b>Equal-time failures.</b> "No such queue" and "bad MAC" must be indistinguishable, in the
 * error and in the time taken (DESIGN invariant 7). The relay therefore calls {@link #verify} on
 * every recipient command, passing {@code null} as the key when the recipient ID names no queue:
 * the MAC is then computed under a dummy key over the same bytes and compared the same way, and the
 * result is {@code false}. The relay MUST NOT short-circuit the unknown-queue case, and answers
 * both failures with the same {@code AUTH} error.
 */
public final class CommandMac {
  /** Length of the MAC, the MAC key, the handshake hash and the recipient ID. */
  public static final int MAC_LENGTH = 32;

  public static final int HANDSHAKE_HASH_LENGTH = 32;
  public static final int RECIPIENT_ID_LENGTH = 32;

  // Only ever read: the unknown-queue path computes an HMAC under these bytes and discards it.
  private static final byte[] DUMMY_KEY = new byte[MAC_LENGTH];

  private CommandMac() {}

  /**
   * Computes the MAC (client side).
   *
   * @throws IllegalArgumentException if a key, hash or ID has the wrong length
   */
  public static byte[] compute(
      byte[] macKey, byte[] handshakeHash, byte[] recipientId, byte[] command) {
    Bytes.requireLength(macKey, MAC_LENGTH, "mac key");
    Bytes.requireLength(handshakeHash, HANDSHAKE_HASH_LENGTH, "handshake hash");
    Bytes.requireLength(recipientId, RECIPIENT_ID_LENGTH, "recipient ID");
    return hmac(macKey, handshakeHash, recipientId, command);
  }

  /**
   * Verifies a MAC received from the wire, in time that depends only on the lengths of the inputs.
   * Never throws for malformed wire input: a MAC or recipient ID of the wrong length is simply "not
   * valid", after the same work.
   *
   * @param macKey the queue's mac key, or {@code null} if the recipient ID names no queue (the
   *     result is then always {@code false}, after the same work as a real check)
   * @return true only if the queue exists and the MAC is valid
   */
  public static boolean verify(
      byte[] macKey, byte[] handshakeHash, byte[] recipientId, byte[] command, byte[] mac) {
    boolean keyPresent = macKey != null && macKey.length == MAC_LENGTH;
    handshakeHash = nonNull(handshakeHash);
    recipientId = nonNull(recipientId);
    byte[] expected =
        hmac(keyPresent ? macKey : DUMMY_KEY, handshakeHash, recipientId, nonNull(command));
    // isEqual's running time depends on the length of its first argument only (always 32 here).
    boolean equal = MessageDigest.isEqual(expected, nonNull(mac));
    boolean shapeOk =
        handshakeHash.length == HANDSHAKE_HASH_LENGTH
            && recipientId.length == RECIPIENT_ID_LENGTH
            && mac != null
            && mac.length == MAC_LENGTH;
    return equal & keyPresent & shapeOk;
  }

  private static byte[] hmac(byte[] key, byte[] h, byte[] recipientId, byte[] command) {
    Mac mac = Hkdf.hmac(key);
    mac.update(h);
    mac.update(recipientId);
    mac.update(command);
    return mac.doFinal();
  }

  private static byte[] nonNull(byte[] a) {
    return a == null ? new byte[0] : a;
  }
}
