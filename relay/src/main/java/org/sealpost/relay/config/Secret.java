package org.sealpost.relay.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * A configured secret (the operator's creation token). It never appears in {@link #toString()}, and
 * it is compared in constant time.
 */
public final class Secret {
  private final byte[] value;

  private Secret(byte[] value) {
    this.value = value;
  }

  public static Secret of(String value) {
    return new Secret(value.getBytes(StandardCharsets.UTF_8));
  }

  /** Constant-time comparison with a candidate presented by a client. */
  public boolean matches(byte[] candidate) {
    return MessageDigest.isEqual(value, candidate);
  }

  /** A copy of the secret's bytes; the caller should zero it when done. */
  public byte[] bytes() {
    return value.clone();
  }

  /** Zeroes the secret; it matches nothing afterwards except an empty candidate of zeros. */
  public void destroy() {
    Arrays.fill(value, (byte) 0);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Secret s && MessageDigest.isEqual(value, s.value);
  }

  @Override
  public int hashCode() {
    return value.length;
  }

  @Override
  public String toString() {
    return "Secret[redacted]";
  }
}
