package org.sealpost.proto.crypto.noise;

import java.util.Objects;

/**
 * A parsed Noise protocol name such as {@code Noise_NK_25519_AESGCM_SHA256} (Noise spec §8). The
 * only DH function is 25519; pattern modifiers (psk, fallback) are not supported.
 *
 * @param pattern the handshake pattern
 * @param cipher the cipher function
 * @param hash the hash function
 */
public record NoiseProtocol(HandshakePattern pattern, NoiseCipher cipher, NoiseHash hash) {
  /** The only DH function supported. */
  public static final String DH_25519 = "25519";

  /** Validates the components. */
  public NoiseProtocol {
    Objects.requireNonNull(pattern, "pattern");
    Objects.requireNonNull(cipher, "cipher");
    Objects.requireNonNull(hash, "hash");
  }

  /**
   * Parses a protocol name.
   *
   * @throws NoiseException with {@link NoiseException.Reason#UNSUPPORTED_PROTOCOL} if the name is
   *     malformed or names a component that is not implemented
   */
  public static NoiseProtocol parse(String name) {
    if (name == null) {
      throw new NoiseException(NoiseException.Reason.UNSUPPORTED_PROTOCOL, "no protocol name");
    }
    String[] parts = name.split("_", -1);
    if (parts.length != 5 || !parts[0].equals("Noise")) {
      throw new NoiseException(
          NoiseException.Reason.UNSUPPORTED_PROTOCOL,
          "expected Noise_<pattern>_<dh>_<cipher>_<hash>, got " + name);
    }
    if (!parts[2].equals(DH_25519)) {
      throw new NoiseException(
          NoiseException.Reason.UNSUPPORTED_PROTOCOL, "unsupported DH function " + parts[2]);
    }
    return new NoiseProtocol(
        HandshakePattern.fromNoiseName(parts[1]),
        NoiseCipher.fromNoiseName(parts[3]),
        NoiseHash.fromNoiseName(parts[4]));
  }

  /** The protocol name, e.g. {@code Noise_NK_25519_AESGCM_SHA256}. */
  public String name() {
    return "Noise_"
        + pattern.name()
        + "_"
        + DH_25519
        + "_"
        + cipher.noiseName()
        + "_"
        + hash.noiseName();
  }

  @Override
  public String toString() {
    return name();
  }
}
