package org.sealpost.proto.crypto;

import java.util.Arrays;
import org.sealpost.proto.crypto.CryptoException.Reason;

/**
 * The sealed envelope (protocol.md §7): client to client, opaque to relays, always exactly E bytes.
 * A two-layer construction in the manner of Signal's sealed sender v1: an ephemeral X25519 layer
 * hides the sender's identity key, a static-static X25519 layer authenticates the sender to the
 * recipient and encrypts the content.
 *
 * <pre>
 * header = version (0x01) ‖ e.pub                                     33 bytes
 * dh1    = X25519(e, Rs)
 * okm1   = HKDF(salt = "", ikm = dh1,
 *               info = "sealpost/1 envelope-ephemeral" ‖ header ‖ Rs, L = 64)
 * chain  = okm1[0..32]   k1 = okm1[32..64]
 * c1     = AES-GCM(k1, nonce = 0^12, aad = header, plaintext = Ss)     48 bytes
 * dh2    = X25519(s, Rs)
 * k2     = HKDF(salt = "", ikm = chain ‖ dh2,
 *               info = "sealpost/1 envelope-static" ‖ header ‖ c1 ‖ Rs, L = 32)
 * p2     = envelope_id (16) ‖ uint32 content_length ‖ content ‖ zero padding   E − 97 bytes
 * c2     = AES-GCM(k2, nonce = 0^12, aad = header ‖ c1, plaintext = p2)        E − 81 bytes
 * envelope = header ‖ c1 ‖ c2                                                  E bytes
 * </pre>
 *
 * {@code Rs} is the recipient's sealing public key, {@code (s, Ss)} the sender's identity key pair,
 * {@code e} a fresh ephemeral key. Both keys are single-use (fresh {@code e}), so the zero nonces
 * never repeat under one key.
 */
public final class SealedEnvelope {
  /** The version byte of this construction. */
  public static final byte VERSION = 0x01;

  /** E at the default block size B = 16359. */
  public static final int DEFAULT_SIZE = 15847;

  /** The smallest E the protocol allows (B = 1024). */
  public static final int MIN_SIZE = 512;

  /** The largest E the protocol allows (B = 65535). */
  public static final int MAX_SIZE = 65023;

  /** Length of the envelope ID that recipients use to drop duplicates. */
  public static final int ENVELOPE_ID_LENGTH = 16;

  /** Bytes of every envelope that are not content: E − capacity. */
  public static final int OVERHEAD = 117;

  static final int HEADER_LENGTH = 1 + X25519KeyPair.KEY_LENGTH;
  static final int C1_LENGTH = X25519KeyPair.KEY_LENGTH + AesGcm.TAG_LENGTH;
  private static final int LENGTH_FIELD = 4;
  private static final byte[] INFO_EPHEMERAL = Bytes.ascii("sealpost/1 envelope-ephemeral");
  private static final byte[] INFO_STATIC = Bytes.ascii("sealpost/1 envelope-static");

  private final int size;

  /**
   * @param envelopeSize E, between {@link #MIN_SIZE} and {@link #MAX_SIZE}
   */
  public SealedEnvelope(int envelopeSize) {
    checkEnvelopeSize(envelopeSize);
    this.size = envelopeSize;
  }

  static void checkEnvelopeSize(int envelopeSize) {
    if (envelopeSize < MIN_SIZE || envelopeSize > MAX_SIZE) {
      throw new IllegalArgumentException(
          "envelope size must be in " + MIN_SIZE + ".." + MAX_SIZE + ", got " + envelopeSize);
    }
  }

  /** E: the size of every envelope. */
  public int size() {
    return size;
  }

  /** The largest content an envelope carries: E − 117. */
  public int capacity() {
    return size - OVERHEAD;
  }

  /** What {@link #open} returns. Arrays are the caller's own. */
  public record Opened(byte[] senderIdentityKey, byte[] envelopeId, byte[] content) {}

  /**
   * Seals {@code content} from {@code senderIdentity} to the recipient's sealing key. Draws 32
   * bytes (the ephemeral private key) and then 16 bytes (the envelope ID) from {@code random}.
   *
   * <p>A client that retries a Send after a lost reply resends the same envelope bytes, so that the
   * recipient drops the duplicate by its envelope ID.
   *
   * @throws CryptoException {@code TOO_LARGE} if the content exceeds {@link #capacity()}, {@code
   *     INVALID_PUBLIC_KEY} if the recipient key is malformed or low-order
   */
  public byte[] seal(
      X25519KeyPair senderIdentity, byte[] recipientSealingKey, byte[] content, RandomSource random)
      throws CryptoException {
    if (content.length > capacity()) {
      throw CryptoException.tooLarge("envelope content", content.length, capacity());
    }
    X25519KeyPair ephemeral = X25519KeyPair.generate(random);
    byte[] p2 = new byte[size - HEADER_LENGTH - C1_LENGTH - AesGcm.TAG_LENGTH];
    byte[] envelopeId = random.bytes(ENVELOPE_ID_LENGTH);
    System.arraycopy(envelopeId, 0, p2, 0, ENVELOPE_ID_LENGTH);
    Bytes.putInt(p2, ENVELOPE_ID_LENGTH, content.length);
    System.arraycopy(content, 0, p2, ENVELOPE_ID_LENGTH + LENGTH_FIELD, content.length);
    try {
      return sealPlaintext(senderIdentity, recipientSealingKey, ephemeral, p2);
    } finally {
      ephemeral.destroy();
      Arrays.fill(p2, (byte) 0);
    }
  }

  /**
   * The construction below the plaintext layout: seals an already laid-out {@code p2} of E − 97
   * bytes. Package-private so test vectors can also seal malformed plaintexts.
   */
  byte[] sealPlaintext(
      X25519KeyPair senderIdentity, byte[] recipientSealingKey, X25519KeyPair ephemeral, byte[] p2)
      throws CryptoException {
    byte[] header = new byte[HEADER_LENGTH];
    header[0] = VERSION;
    System.arraycopy(ephemeral.publicKey(), 0, header, 1, X25519KeyPair.KEY_LENGTH);

    byte[] okm1 = layerOneKeys(ephemeral.agree(recipientSealingKey), header, recipientSealingKey);
    byte[] k1 = Arrays.copyOfRange(okm1, 32, 64);
    byte[] c1 = AesGcm.encrypt(k1, AesGcm.ZERO_NONCE, header, senderIdentity.publicKey());
    Arrays.fill(k1, (byte) 0);
    byte[] k2 =
        layerTwoKey(
            okm1, senderIdentity.agree(recipientSealingKey), header, c1, recipientSealingKey);
    byte[] c2 = AesGcm.encrypt(k2, AesGcm.ZERO_NONCE, Bytes.concat(header, c1), p2);
    Arrays.fill(k2, (byte) 0);
    return Bytes.concat(header, c1, c2);
  }

  /**
   * Opens an envelope with the recipient's sealing key pair.
   *
   * @throws CryptoException {@code WRONG_SIZE} unless exactly E bytes, {@code UNSUPPORTED_VERSION},
   *     {@code INVALID_PUBLIC_KEY} for a low-order ephemeral or sender key, {@code
   *     AUTHENTICATION_FAILED} if either tag fails, {@code MALFORMED} if the content length exceeds
   *     the capacity, {@code NON_ZERO_PADDING}
   */
  public Opened open(X25519KeyPair recipientSealingKey, byte[] envelope) throws CryptoException {
    if (envelope == null || envelope.length != size) {
      throw new CryptoException(Reason.WRONG_SIZE, "a sealed envelope must be " + size + " bytes");
    }
    if (envelope[0] != VERSION) {
      throw new CryptoException(Reason.UNSUPPORTED_VERSION, "unknown sealed envelope version");
    }
    byte[] recipientPublic = recipientSealingKey.publicKey();
    byte[] header = Arrays.copyOfRange(envelope, 0, HEADER_LENGTH);
    byte[] ephemeralPublic = Arrays.copyOfRange(envelope, 1, HEADER_LENGTH);
    byte[] okm1 = layerOneKeys(recipientSealingKey.agree(ephemeralPublic), header, recipientPublic);
    byte[] k1 = Arrays.copyOfRange(okm1, 32, 64);
    byte[] senderIdentityKey;
    byte[] k2;
    try {
      senderIdentityKey =
          AesGcm.decrypt(k1, AesGcm.ZERO_NONCE, header, envelope, HEADER_LENGTH, C1_LENGTH);
      byte[] c1 = Arrays.copyOfRange(envelope, HEADER_LENGTH, HEADER_LENGTH + C1_LENGTH);
      k2 =
          layerTwoKey(
              okm1, recipientSealingKey.agree(senderIdentityKey), header, c1, recipientPublic);
    } finally {
      Arrays.fill(k1, (byte) 0);
      Arrays.fill(okm1, (byte) 0);
    }
    int c2Offset = HEADER_LENGTH + C1_LENGTH;
    byte[] p2;
    try {
      p2 =
          AesGcm.decrypt(
              k2,
              AesGcm.ZERO_NONCE,
              Arrays.copyOfRange(envelope, 0, c2Offset),
              envelope,
              c2Offset,
              size - c2Offset);
    } finally {
      Arrays.fill(k2, (byte) 0);
    }
    try {
      long length = Bytes.getUnsignedInt(p2, ENVELOPE_ID_LENGTH);
      if (length > capacity()) {
        throw new CryptoException(
            Reason.MALFORMED, "content length exceeds the envelope capacity of " + capacity());
      }
      int contentOffset = ENVELOPE_ID_LENGTH + LENGTH_FIELD;
      int end = contentOffset + (int) length;
      if (!Bytes.isZero(p2, end, p2.length - end)) {
        throw new CryptoException(Reason.NON_ZERO_PADDING, "envelope padding is not zero");
      }
      return new Opened(
          senderIdentityKey,
          Arrays.copyOfRange(p2, 0, ENVELOPE_ID_LENGTH),
          Arrays.copyOfRange(p2, contentOffset, end));
    } finally {
      Arrays.fill(p2, (byte) 0);
    }
  }

  /** okm1 = chain ‖ k1; consumes (zeroes) {@code dh1}. */
  private static byte[] layerOneKeys(byte[] dh1, byte[] header, byte[] recipientPublic) {
    byte[] okm1 =
        Hkdf.derive(new byte[0], dh1, Bytes.concat(INFO_EPHEMERAL, header, recipientPublic), 64);
    Arrays.fill(dh1, (byte) 0);
    return okm1;
  }

  /** k2; consumes (zeroes) {@code okm1} and {@code dh2}. */
  private static byte[] layerTwoKey(
      byte[] okm1, byte[] dh2, byte[] header, byte[] c1, byte[] recipientPublic) {
    byte[] ikm = Bytes.concat(Arrays.copyOfRange(okm1, 0, 32), dh2);
    byte[] k2 =
        Hkdf.derive(new byte[0], ikm, Bytes.concat(INFO_STATIC, header, c1, recipientPublic), 32);
    Arrays.fill(ikm, (byte) 0);
    Arrays.fill(okm1, (byte) 0);
    Arrays.fill(dh2, (byte) 0);
    return k2;
  }
}
