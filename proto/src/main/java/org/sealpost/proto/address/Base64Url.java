package org.sealpost.proto.address;

import java.util.Base64;

/** Strict unpadded base64url (RFC 4648 §5): exact length, alphabet only, canonical last char. */
final class Base64Url {
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private Base64Url() {}

  static String encode(byte[] bytes) {
    return ENCODER.encodeToString(bytes);
  }

  /** Characters an unpadded encoding of {@code bytes} bytes has. */
  static int encodedLength(int bytes) {
    return (bytes * 8 + 5) / 6;
  }

  /**
   * Decodes {@code text} into exactly {@code bytes} bytes, or returns null. Rejects padding,
   * characters outside the alphabet, and non-zero unused bits in the last character (so that every
   * value has exactly one encoding).
   */
  static byte[] decode(String text, int bytes) {
    if (text.length() != encodedLength(bytes)) {
      return null;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean ok =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_';
      if (!ok) {
        return null;
      }
    }
    byte[] decoded = DECODER.decode(text);
    if (decoded.length != bytes || !ENCODER.encodeToString(decoded).equals(text)) {
      return null;
    }
    return decoded;
  }
}
