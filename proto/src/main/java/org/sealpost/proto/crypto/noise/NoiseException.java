package org.sealpost.proto.crypto.noise;

/**
 * The only exception the Noise layer throws for bad input, bad state or exhausted nonces.
 *
 * <p>Messages name the operation and the expected sizes, never key material or message bytes. A
 * relay that sees any reason other than {@link Reason#BAD_STATE} from a peer's message closes the
 * connection (protocol.md §2).
 */
public final class NoiseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Closed set of failure reasons. */
  public enum Reason {
    /** An input or output has the wrong length, or a buffer is too small. */
    BAD_SIZE,
    /** Authenticated decryption failed (wrong key, tampered or truncated ciphertext). */
    DECRYPT_FAILED,
    /** The 64-bit nonce reached 2^64 - 1, which Noise reserves; the session must end. */
    NONCE_EXHAUSTED,
    /** A key has the wrong length, or a Diffie-Hellman result was all zero (low-order point). */
    BAD_KEY,
    /** The call is not valid in the current state (wrong turn, finished or destroyed session). */
    BAD_STATE,
    /** A protocol name or one of its components is not supported. */
    UNSUPPORTED_PROTOCOL,
    /** The JVM's cryptographic provider failed in a way that input cannot cause. */
    PROVIDER_FAILURE
  }

  private final Reason reason;

  NoiseException(Reason reason, String message) {
    super(reason + ": " + message);
    this.reason = reason;
  }

  NoiseException(Reason reason, String message, Throwable cause) {
    super(reason + ": " + message, cause);
    this.reason = reason;
  }

  /** Returns why the operation failed. */
  public Reason reason() {
    return reason;
  }
}
