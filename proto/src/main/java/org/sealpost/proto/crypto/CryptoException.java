package org.sealpost.proto.crypto;

import java.util.Objects;

/**
 * A cryptographic check failed or an input does not have the shape a construction requires.
 *
 * <p>The {@link Reason} is a closed set, so callers map it to a protocol error without parsing
 * messages. Messages name sizes and fields, never keys, identifiers or envelope bytes.
 */
public final class CryptoException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why the operation failed. */
  public enum Reason {
    /** The input or one of its fields does not have the fixed size the construction requires. */
    WRONG_SIZE,
    /** The version byte is not one this implementation speaks. */
    UNSUPPORTED_VERSION,
    /** A peer X25519 public key has the wrong length or is a low-order point (all-zero DH). */
    INVALID_PUBLIC_KEY,
    /** An AES-GCM tag did not verify: wrong key, or the bytes were modified. */
    AUTHENTICATION_FAILED,
    /** A length field inside an authenticated plaintext exceeds the capacity. */
    MALFORMED,
    /** Padding bytes that must be zero are not. */
    NON_ZERO_PADDING,
    /** The content is larger than the construction's capacity (the message says the capacity). */
    TOO_LARGE,
    /** A forwarded request's time is outside the replay window of the destination relay. */
    STALE_REQUEST,
    /** A forwarded request was already accepted within the replay window. */
    REPLAYED_REQUEST,
    /** The replay guard is full; the request is refused rather than risk accepting a replay. */
    REPLAY_GUARD_FULL
  }

  private final Reason reason;

  /** Creates an exception with a reason and a message free of user data. */
  public CryptoException(Reason reason, String message) {
    super(Objects.requireNonNull(reason, "reason") + ": " + message);
    this.reason = reason;
  }

  /** {@link Reason#TOO_LARGE}, naming the size and the capacity (sizes only, never content). */
  static CryptoException tooLarge(String what, int length, int capacity) {
    return new CryptoException(
        Reason.TOO_LARGE,
        what + " of " + length + " bytes exceeds the capacity of " + capacity + " bytes");
  }

  /** The closed reason code. */
  public Reason reason() {
    return reason;
  }
}
