package org.sealpost.proto.crypto.noise;

import java.util.Objects;

/**
 * The cipher and hash of a Sealpost Noise session; the pattern is always NK and the DH function
 * 25519. Production uses {@link #PRODUCTION}; other suites exist for interoperability tests.
 *
 * @param cipher the cipher function
 * @param hash the hash function
 */
public record NoiseSuite(NoiseCipher cipher, NoiseHash hash) {
  /**
   * {@code Noise_NK_25519_AESGCM_SHA256}: the JDK's AES-GCM is an order of magnitude faster than
   * its ChaCha20-Poly1305 (docs/benchmarks.md).
   */
  public static final NoiseSuite PRODUCTION = new NoiseSuite(NoiseCipher.AESGCM, NoiseHash.SHA256);

  /** Validates the components. */
  public NoiseSuite {
    Objects.requireNonNull(cipher, "cipher");
    Objects.requireNonNull(hash, "hash");
  }

  /**
   * Parses a full protocol name, which must use pattern NK and DH 25519.
   *
   * @throws NoiseException with {@link NoiseException.Reason#UNSUPPORTED_PROTOCOL} otherwise
   */
  public static NoiseSuite parse(String protocolName) {
    NoiseProtocol p = NoiseProtocol.parse(protocolName);
    if (p.pattern() != HandshakePattern.NK) {
      throw new NoiseException(
          NoiseException.Reason.UNSUPPORTED_PROTOCOL, "Sealpost sessions use pattern NK");
    }
    return new NoiseSuite(p.cipher(), p.hash());
  }

  /** The full protocol, pattern NK. */
  public NoiseProtocol protocol() {
    return new NoiseProtocol(HandshakePattern.NK, cipher, hash);
  }

  /** The protocol name, e.g. {@code Noise_NK_25519_AESGCM_SHA256}. */
  public String protocolName() {
    return protocol().name();
  }
}
