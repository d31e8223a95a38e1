package org.sealpost.proto.crypto;

import java.security.SecureRandom;
import java.util.Objects;

/**
 * Where the constructions in this package take their randomness from. Production code uses {@link
 * #secure()}; tests and test vectors inject fixed bytes so that every output is reproducible.
 */
@FunctionalInterface
public interface RandomSource {

  /** Fills {@code out} with random bytes. */
  void nextBytes(byte[] out);

  /** Returns {@code length} fresh random bytes. */
  default byte[] bytes(int length) {
    byte[] out = new byte[length];
    nextBytes(out);
    return out;
  }

  /** A source backed by a new {@link SecureRandom} (thread-safe). */
  static RandomSource secure() {
    return of(new SecureRandom());
  }

  /** A source backed by the given {@link SecureRandom}. */
  static RandomSource of(SecureRandom random) {
    Objects.requireNonNull(random, "random");
    return random::nextBytes;
  }
}
