package org.sealpost.proto.crypto;

import java.time.Clock;
import java.util.Arrays;
import org.sealpost.proto.crypto.CryptoException.Reason;

/**
 * Two-hop sending (protocol.md §9): a client seals an inner request frame to the destination
 * relay's static X25519 key; the first relay carries the opaque bytes; the destination opens them,
 * executes the inner frame and seals its reply with a key only the client also holds.
 *
 * <pre>
 * dh  = X25519(e, relay_static)
 * okm = HKDF(salt = "", ikm = dh, info = "sealpost/1 forward" ‖ e.pub ‖ relay_static_pub, L = 64)
 * request_key = okm[0..32]   reply_key = okm[32..64]
 * inner = uint32 time (minutes since the Unix epoch) ‖ uint16 length ‖ frame ‖ zero padding
 *                                                                         I = E + 128 bytes
 * sealed_request = e.pub ‖ AES-GCM(request_key, 0^12, "sealpost/1 forward-req", inner)
 *                                                                         E + 176 bytes
 * reply_plain  = uint16 length ‖ reply frame ‖ zero padding               256 bytes
 * sealed_reply = AES-GCM(reply_key, 0^12, "sealpost/1 forward-rep", reply_plain)   272 bytes
 * </pre>
 *
 * Each key encrypts exactly one message (fresh {@code e}), so the zero nonce never repeats; the
 * destination's {@link ReplayGuard} keeps a replayed request from being answered twice.
 */
public final class ForwardSeal {
  /** Size of every sealed reply. */
  public static final int REPLY_SIZE = 272;

  /** The largest reply frame: 256 − 2. */
  public static final int REPLY_CAPACITY = 254;

  /** Length of the reply key the client keeps to open the reply. */
  public static final int REPLY_KEY_LENGTH = 32;

  private static final int REPLY_PLAIN = REPLY_SIZE - AesGcm.TAG_LENGTH;
  private static final int INNER_HEADER = 6;
  private static final byte[] INFO = Bytes.ascii("sealpost/1 forward");
  private static final byte[] AAD_REQUEST = Bytes.ascii("sealpost/1 forward-req");
  private static final byte[] AAD_REPLY = Bytes.ascii("sealpost/1 forward-rep");

  private final int innerSize;

  /**
   * @param envelopeSize E, which fixes the request size (E + 176)
   */
  public ForwardSeal(int envelopeSize) {
    SealedEnvelope.checkEnvelopeSize(envelopeSize);
    this.innerSize = envelopeSize + 128;
  }

  /** E + 176: the size of every sealed request. */
  public int requestSize() {
    return X25519KeyPair.KEY_LENGTH + innerSize + AesGcm.TAG_LENGTH;
  }

  /** E + 122: the largest inner frame. */
  public int requestCapacity() {
    return innerSize - INNER_HEADER;
  }

  /** The client's result: the bytes to send, and the key that opens the reply. */
  public record SealedRequest(byte[] bytes, byte[] replyKey) {}

  /**
   * The destination's result. {@code timeMinutes} and {@code ephemeralPublicKey} go to {@link
   * ReplayGuard#check} before the inner frame is executed.
   */
  public record OpenedRequest(
      byte[] ephemeralPublicKey, long timeMinutes, byte[] innerFrame, byte[] replyKey) {}

  /**
   * Client side: seals {@code innerFrame} to the destination relay, stamped with the current minute
   * of {@code clock}. Draws 32 bytes (the ephemeral private key) from {@code random}.
   *
   * @throws CryptoException {@code TOO_LARGE} if the frame exceeds {@link #requestCapacity()},
   *     {@code INVALID_PUBLIC_KEY} if the relay key is malformed or low-order
   */
  public SealedRequest seal(
      byte[] relayStaticKey, byte[] innerFrame, Clock clock, RandomSource random)
      throws CryptoException {
    if (innerFrame.length > requestCapacity()) {
      throw CryptoException.tooLarge("forwarded inner frame", innerFrame.length, requestCapacity());
    }
    X25519KeyPair ephemeral = X25519KeyPair.generate(random);
    byte[] inner = new byte[innerSize];
    Bytes.putInt(inner, 0, (int) minutes(clock));
    Bytes.putShort(inner, 4, innerFrame.length);
    System.arraycopy(innerFrame, 0, inner, INNER_HEADER, innerFrame.length);
    try {
      return sealInner(relayStaticKey, ephemeral, inner);
    } finally {
      ephemeral.destroy();
      Arrays.fill(inner, (byte) 0);
    }
  }

  /**
   * Seals an already laid-out inner plaintext of I bytes. Package-private so test vectors can also
   * seal malformed plaintexts.
   */
  SealedRequest sealInner(byte[] relayStaticKey, X25519KeyPair ephemeral, byte[] inner)
      throws CryptoException {
    byte[] ephemeralPublic = ephemeral.publicKey();
    byte[] okm = keys(ephemeral.agree(relayStaticKey), ephemeralPublic, relayStaticKey);
    byte[] requestKey = Arrays.copyOfRange(okm, 0, 32);
    byte[] replyKey = Arrays.copyOfRange(okm, 32, 64);
    Arrays.fill(okm, (byte) 0);
    byte[] ct = AesGcm.encrypt(requestKey, AesGcm.ZERO_NONCE, AAD_REQUEST, inner);
    Arrays.fill(requestKey, (byte) 0);
    return new SealedRequest(Bytes.concat(ephemeralPublic, ct), replyKey);
  }

  /**
   * Destination relay: opens a sealed request with the relay's static key pair. The caller then
   * runs {@link ReplayGuard#check} and only then executes the inner frame.
   *
   * @throws CryptoException {@code WRONG_SIZE} unless exactly {@link #requestSize()} bytes, {@code
   *     INVALID_PUBLIC_KEY} for a low-order ephemeral key, {@code AUTHENTICATION_FAILED}, {@code
   *     MALFORMED} if the length exceeds the capacity, {@code NON_ZERO_PADDING}
   */
  public OpenedRequest open(X25519KeyPair relayStatic, byte[] sealedRequest)
      throws CryptoException {
    if (sealedRequest == null || sealedRequest.length != requestSize()) {
      throw new CryptoException(
          Reason.WRONG_SIZE, "a sealed forward request must be " + requestSize() + " bytes");
    }
    byte[] ephemeralPublic = Arrays.copyOfRange(sealedRequest, 0, X25519KeyPair.KEY_LENGTH);
    byte[] okm = keys(relayStatic.agree(ephemeralPublic), ephemeralPublic, relayStatic.publicKey());
    byte[] requestKey = Arrays.copyOfRange(okm, 0, 32);
    byte[] replyKey = Arrays.copyOfRange(okm, 32, 64);
    Arrays.fill(okm, (byte) 0);
    byte[] inner;
    try {
      inner =
          AesGcm.decrypt(
              requestKey,
              AesGcm.ZERO_NONCE,
              AAD_REQUEST,
              sealedRequest,
              X25519KeyPair.KEY_LENGTH,
              sealedRequest.length - X25519KeyPair.KEY_LENGTH);
    } finally {
      Arrays.fill(requestKey, (byte) 0);
    }
    long time = Bytes.getUnsignedInt(inner, 0);
    int length = Bytes.getUnsignedShort(inner, 4);
    byte[] frame = unpad(inner, INNER_HEADER, length, "forward request");
    return new OpenedRequest(ephemeralPublic, time, frame, replyKey);
  }

  /**
   * Destination relay: seals the reply frame for the client.
   *
   * @throws CryptoException {@code TOO_LARGE} if the frame exceeds {@link #REPLY_CAPACITY}
   * @throws IllegalArgumentException if the reply key is not 32 bytes
   */
  public static byte[] sealReply(byte[] replyKey, byte[] replyFrame) throws CryptoException {
    Bytes.requireLength(replyKey, REPLY_KEY_LENGTH, "reply key");
    if (replyFrame.length > REPLY_CAPACITY) {
      throw CryptoException.tooLarge("forward reply frame", replyFrame.length, REPLY_CAPACITY);
    }
    byte[] plain = new byte[REPLY_PLAIN];
    Bytes.putShort(plain, 0, replyFrame.length);
    System.arraycopy(replyFrame, 0, plain, 2, replyFrame.length);
    return sealReplyPlain(replyKey, plain);
  }

  /** Seals an already laid-out 256-byte reply plaintext (package-private, for test vectors). */
  static byte[] sealReplyPlain(byte[] replyKey, byte[] plain) {
    return AesGcm.encrypt(replyKey, AesGcm.ZERO_NONCE, AAD_REPLY, plain);
  }

  /**
   * Client side: opens the destination's reply with the reply key from {@link #seal}.
   *
   * @throws CryptoException {@code WRONG_SIZE} unless exactly 272 bytes, {@code
   *     AUTHENTICATION_FAILED}, {@code MALFORMED}, {@code NON_ZERO_PADDING}
   * @throws IllegalArgumentException if the reply key is not 32 bytes
   */
  public static byte[] openReply(byte[] replyKey, byte[] sealedReply) throws CryptoException {
    Bytes.requireLength(replyKey, REPLY_KEY_LENGTH, "reply key");
    if (sealedReply == null || sealedReply.length != REPLY_SIZE) {
      throw new CryptoException(
          Reason.WRONG_SIZE, "a sealed forward reply must be " + REPLY_SIZE + " bytes");
    }
    byte[] plain =
        AesGcm.decrypt(replyKey, AesGcm.ZERO_NONCE, AAD_REPLY, sealedReply, 0, sealedReply.length);
    return unpad(plain, 2, Bytes.getUnsignedShort(plain, 0), "forward reply");
  }

  /** The current minute since the Unix epoch, as carried in a request. */
  public static long minutes(Clock clock) {
    return Math.floorDiv(clock.millis(), 60_000L);
  }

  private static byte[] keys(byte[] dh, byte[] ephemeralPublic, byte[] relayPublic) {
    byte[] okm = Hkdf.derive(new byte[0], dh, Bytes.concat(INFO, ephemeralPublic, relayPublic), 64);
    Arrays.fill(dh, (byte) 0);
    return okm;
  }

  private static byte[] unpad(byte[] plain, int offset, int length, String what)
      throws CryptoException {
    try {
      if (length > plain.length - offset) {
        throw new CryptoException(Reason.MALFORMED, what + " length exceeds its capacity");
      }
      int end = offset + length;
      if (!Bytes.isZero(plain, end, plain.length - end)) {
        throw new CryptoException(Reason.NON_ZERO_PADDING, what + " padding is not zero");
      }
      return Arrays.copyOfRange(plain, offset, end);
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }
}
