package org.sealpost.proto.crypto.noise;

/** The Noise cipher functions supported here (Noise spec rev 34, §12.3 and §12.4). */
public enum NoiseCipher {
  /** AES-256-GCM; nonce = 4 zero bytes ‖ 64-bit big-endian counter. */
  AESGCM("AESGCM", "AES/GCM/NoPadding", "AES"),
  /** ChaCha20-Poly1305 (RFC 8439); nonce = 4 zero bytes ‖ 64-bit little-endian counter. */
  CHACHAPOLY("ChaChaPoly", "ChaCha20-Poly1305", "ChaCha20");

  private final String noiseName;
  private final String transformation;
  private final String keyAlgorithm;

  NoiseCipher(String noiseName, String transformation, String keyAlgorithm) {
    this.noiseName = noiseName;
    this.transformation = transformation;
    this.keyAlgorithm = keyAlgorithm;
  }

  /** The name used in Noise protocol names, e.g. {@code AESGCM}. */
  public String noiseName() {
    return noiseName;
  }

  String transformation() {
    return transformation;
  }

  String keyAlgorithm() {
    return keyAlgorithm;
  }

  static NoiseCipher fromNoiseName(String name) {
    for (NoiseCipher c : values()) {
      if (c.noiseName.equals(name)) {
        return c;
      }
    }
    throw new NoiseException(NoiseException.Reason.UNSUPPORTED_PROTOCOL, "unknown cipher " + name);
  }
}
