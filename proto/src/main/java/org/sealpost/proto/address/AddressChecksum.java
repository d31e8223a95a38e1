package org.sealpost.proto.address;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The checksum that ends a mailbox address's path (docs/protocol.md §8): the first 6 bytes of
 * SHA-256 over a domain label and the canonical text of the address without the checksum, written
 * as 8 base64url characters. It catches a mistyped or truncated address before anything is sent to
 * a queue (or sealed to a key) that does not exist; it is not a security mechanism.
 */
final class AddressChecksum {
  static final int BYTES = 6;
  static final int CHARS = Base64Url.encodedLength(BYTES); // 8

  private static final byte[] LABEL =
      "sealpost address checksum v1\0".getBytes(StandardCharsets.US_ASCII);

  private AddressChecksum() {}

  /** The checksum of {@code canonicalWithoutChecksum}, the address text it protects. */
  static byte[] of(CharSequence canonicalWithoutChecksum) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update(LABEL);
      sha256.update(canonicalWithoutChecksum.toString().getBytes(StandardCharsets.US_ASCII));
      return Arrays.copyOf(sha256.digest(), BYTES);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
    }
  }

  /** Whether {@code given} is the checksum of the text; compared in constant time. */
  static boolean matches(byte[] given, CharSequence canonicalWithoutChecksum) {
    return MessageDigest.isEqual(given, of(canonicalWithoutChecksum));
  }
}
