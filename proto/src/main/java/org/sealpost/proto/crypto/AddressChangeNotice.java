package org.sealpost.proto.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Mac;

/**
 * The "address changed" notice (protocol.md §7.4): content that a recipient who moved a mailbox
 * sends, inside an ordinary sealed envelope, to each contact that writes to the old address.
 *
 * <pre>
 * body    = "sealpost/1 address-changed" ‖ 0x00 ‖ old_sender_id (32) ‖ Rs_old (32)
 *           ‖ uint16 n ‖ new_address (n bytes of printable ASCII, 1 ≤ n ≤ 377)
 * k       = HKDF(salt = "", ikm = X25519(rs_old, Rs_to),
 *                info = "sealpost/1 address-changed" ‖ Rs_old ‖ Rs_to, L = 32)
 * content = body ‖ HMAC-SHA256(k, body)
 * </pre>
 *
 * {@code Rs_to} is the sealing key of the contact's mailbox the notice is sent to. The tag proves
 * to that contact that the notice comes from whoever holds the old mailbox's sealing private key
 * (not merely from someone who may write to the contact), and binds it to that one contact.
 * Immutable.
 */
public final class AddressChangeNotice {
  private static final String LABEL = "sealpost/1 address-changed";

  /** The first bytes of every notice: the label and a zero byte. */
  private static final byte[] MAGIC = Bytes.concat(Bytes.ascii(LABEL), new byte[1]);

  /** The longest new address: a canonical mailbox address (protocol.md §8). */
  public static final int MAX_ADDRESS_LENGTH = 377;

  private static final int KEY = X25519KeyPair.KEY_LENGTH;
  private static final int TAG = 32;
  private static final int FIXED = MAGIC.length + KEY + KEY + 2;

  private final byte[] oldSenderId;
  private final byte[] oldSealingKey;
  private final String newAddress;

  private AddressChangeNotice(byte[] oldSenderId, byte[] oldSealingKey, String newAddress) {
    this.oldSenderId = oldSenderId;
    this.oldSealingKey = oldSealingKey;
    this.newAddress = newAddress;
  }

  /** Whether {@code content} begins like a notice (it may still fail {@link #open}). */
  public static boolean looksLikeNotice(byte[] content) {
    return content != null
        && content.length >= MAGIC.length
        && Arrays.equals(content, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
  }

  /**
   * Makes the content of a notice.
   *
   * @param oldSealing the sealing key pair of the mailbox that moved
   * @param oldSenderId the sender ID of the mailbox that moved
   * @param newAddress the new mailbox address, in canonical form
   * @param contactSealingKey the sealing public key of the contact's mailbox it is sent to
   * @throws CryptoException {@code INVALID_PUBLIC_KEY} for an unusable contact key
   * @throws IllegalArgumentException for wrong lengths or an address that is not 1–377 printable
   *     ASCII characters
   */
  public static byte[] create(
      X25519KeyPair oldSealing, byte[] oldSenderId, String newAddress, byte[] contactSealingKey)
      throws CryptoException {
    Objects.requireNonNull(oldSealing, "oldSealing");
    if (oldSenderId == null || oldSenderId.length != KEY) {
      throw new IllegalArgumentException("a sender ID is 32 bytes");
    }
    byte[] address = Bytes.ascii(Objects.requireNonNull(newAddress, "newAddress"));
    if (!printable(address, 0, address.length)
        || address.length < 1
        || address.length > MAX_ADDRESS_LENGTH) {
      throw new IllegalArgumentException("the new address is not 1 to 377 printable characters");
    }
    byte[] oldPublic = oldSealing.publicKey();
    byte[] body = new byte[FIXED + address.length];
    System.arraycopy(MAGIC, 0, body, 0, MAGIC.length);
    System.arraycopy(oldSenderId, 0, body, MAGIC.length, KEY);
    System.arraycopy(oldPublic, 0, body, MAGIC.length + KEY, KEY);
    Bytes.putShort(body, FIXED - 2, address.length);
    System.arraycopy(address, 0, body, FIXED, address.length);
    byte[] tag = tag(oldSealing.agree(contactSealingKey), oldPublic, contactSealingKey, body);
    return Bytes.concat(body, tag);
  }

  /**
   * Checks and reads a notice received in a mailbox whose sealing key pair is {@code ownSealing},
   * in this order: the label ({@code MALFORMED}), the length field and total length ({@code
   * MALFORMED}), printable ASCII address ({@code MALFORMED}), the old sealing key ({@code
   * INVALID_PUBLIC_KEY}), the tag ({@code AUTHENTICATION_FAILED}, compared in constant time). The
   * caller still parses the new address and decides whether it knows the old one.
   */
  public static AddressChangeNotice open(byte[] content, X25519KeyPair ownSealing)
      throws CryptoException {
    Objects.requireNonNull(ownSealing, "ownSealing");
    if (!looksLikeNotice(content)) {
      throw malformed("not an address-changed notice");
    }
    if (content.length < FIXED + TAG) {
      throw malformed("notice too short");
    }
    int n = ((content[FIXED - 2] & 0xFF) << 8) | (content[FIXED - 1] & 0xFF);
    if (n < 1 || n > MAX_ADDRESS_LENGTH || content.length != FIXED + n + TAG) {
      throw malformed("notice length does not match its address length");
    }
    if (!printable(content, FIXED, n)) {
      throw malformed("notice address is not printable ASCII");
    }
    byte[] oldPublic = Bytes.slice(content, MAGIC.length + KEY, KEY);
    byte[] body = Bytes.slice(content, 0, FIXED + n);
    byte[] expected = tag(ownSealing.agree(oldPublic), oldPublic, ownSealing.publicKey(), body);
    if (!MessageDigest.isEqual(expected, Bytes.slice(content, FIXED + n, TAG))) {
      throw new CryptoException(
          CryptoException.Reason.AUTHENTICATION_FAILED, "notice tag does not verify");
    }
    return new AddressChangeNotice(
        Bytes.slice(content, MAGIC.length, KEY),
        oldPublic,
        new String(content, FIXED, n, StandardCharsets.US_ASCII));
  }

  private static byte[] tag(byte[] shared, byte[] oldPublic, byte[] contactPublic, byte[] body) {
    byte[] key =
        Hkdf.derive(
            new byte[0], shared, Bytes.concat(Bytes.ascii(LABEL), oldPublic, contactPublic), 32);
    try {
      Mac mac = Hkdf.hmac(key);
      return mac.doFinal(body);
    } finally {
      Arrays.fill(key, (byte) 0);
      Arrays.fill(shared, (byte) 0);
    }
  }

  private static boolean printable(byte[] a, int off, int len) {
    for (int i = off; i < off + len; i++) {
      if (a[i] < 0x21 || a[i] > 0x7E) {
        return false;
      }
    }
    return true;
  }

  private static CryptoException malformed(String message) {
    return new CryptoException(CryptoException.Reason.MALFORMED, message);
  }

  /** The sender ID of the mailbox that moved (a copy). */
  public byte[] oldSenderId() {
    return oldSenderId.clone();
  }

  /** The sealing public key of the mailbox that moved (a copy). */
  public byte[] oldSealingKey() {
    return oldSealingKey.clone();
  }

  /** The new mailbox address, as sent (parse it before use). */
  public String newAddress() {
    return newAddress;
  }

  /** Says what it is; never the keys or the address. */
  @Override
  public String toString() {
    return "AddressChangeNotice";
  }
}
