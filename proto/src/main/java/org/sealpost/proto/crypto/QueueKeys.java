package org.sealpost.proto.crypto;

import java.util.Arrays;
import javax.security.auth.Destroyable;

/**
 * The two symmetric keys of one queue (protocol.md §5), derived from X25519 between the relay's
 * per-queue key pair {@code (q, Q)} and the recipient's queue key pair {@code (r_q, R_q)}:
 *
 * <pre>
 * ss  = X25519(q, R_q) = X25519(r_q, Q)
 * okm = HKDF(salt = "", ikm = ss, info = "sealpost/1 queue" ‖ Q ‖ R_q, L = 64)
 * delivery_key = okm[0..32]   mac_key = okm[32..64]
 * </pre>
 *
 * <p>The relay stores the two keys (64 bytes, {@link #toBytes()}) and may forget {@code q}.
 */
public final class QueueKeys implements Destroyable {
  /** Length of each key. */
  public static final int KEY_LENGTH = 32;

  private static final byte[] INFO_LABEL = Bytes.ascii("sealpost/1 queue");

  private final byte[] deliveryKey;
  private final byte[] macKey;
  private volatile boolean destroyed;

  private QueueKeys(byte[] deliveryKey, byte[] macKey) {
    this.deliveryKey = deliveryKey;
    this.macKey = macKey;
  }

  /**
   * Relay side: {@code q} is the fresh per-queue key pair, {@code recipientPublicKey} is {@code
   * R_q} from CreateQueue.
   *
   * @throws CryptoException {@code INVALID_PUBLIC_KEY} if {@code R_q} is malformed or low-order
   */
  public static QueueKeys deriveForRelay(X25519KeyPair queueKeyPair, byte[] recipientPublicKey)
      throws CryptoException {
    byte[] ss = queueKeyPair.agree(recipientPublicKey);
    return derive(ss, queueKeyPair.publicKey(), recipientPublicKey);
  }

  /**
   * Recipient side: {@code recipientKeyPair} is {@code (r_q, R_q)}, {@code queuePublicKey} is
   * {@code Q} from the CreateQueue reply.
   *
   * @throws CryptoException {@code INVALID_PUBLIC_KEY} if {@code Q} is malformed or low-order
   */
  public static QueueKeys deriveForRecipient(X25519KeyPair recipientKeyPair, byte[] queuePublicKey)
      throws CryptoException {
    byte[] ss = recipientKeyPair.agree(queuePublicKey);
    return derive(ss, queuePublicKey, recipientKeyPair.publicKey());
  }

  /** Rebuilds the keys from {@link #toBytes()} (64 bytes, copied). */
  public static QueueKeys fromBytes(byte[] deliveryKeyThenMacKey) {
    Bytes.requireLength(deliveryKeyThenMacKey, 2 * KEY_LENGTH, "queue keys");
    return new QueueKeys(
        Bytes.slice(deliveryKeyThenMacKey, 0, KEY_LENGTH),
        Bytes.slice(deliveryKeyThenMacKey, KEY_LENGTH, KEY_LENGTH));
  }

  private static QueueKeys derive(byte[] ss, byte[] queuePublic, byte[] recipientPublic) {
    byte[] okm =
        Hkdf.derive(new byte[0], ss, Bytes.concat(INFO_LABEL, queuePublic, recipientPublic), 64);
    Arrays.fill(ss, (byte) 0);
    QueueKeys keys =
        new QueueKeys(Bytes.slice(okm, 0, KEY_LENGTH), Bytes.slice(okm, KEY_LENGTH, KEY_LENGTH));
    Arrays.fill(okm, (byte) 0);
    return keys;
  }

  /** The AES-256-GCM key of delivery encryption (§6), a copy. */
  public byte[] deliveryKey() {
    checkNotDestroyed();
    return deliveryKey.clone();
  }

  /** The HMAC-SHA256 key of recipient commands (§5), a copy. */
  public byte[] macKey() {
    checkNotDestroyed();
    return macKey.clone();
  }

  /** {@code delivery_key ‖ mac_key}, 64 bytes, for storage. */
  public byte[] toBytes() {
    checkNotDestroyed();
    return Bytes.concat(deliveryKey, macKey);
  }

  @Override
  public void destroy() {
    Arrays.fill(deliveryKey, (byte) 0);
    Arrays.fill(macKey, (byte) 0);
    destroyed = true;
  }

  @Override
  public boolean isDestroyed() {
    return destroyed;
  }

  private void checkNotDestroyed() {
    if (destroyed) {
      throw new IllegalStateException("queue keys were destroyed");
    }
  }
}
