package org.sealpost.proto.address;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * Host validation for addresses: a DNS name (letters, digits, hyphens; lower-cased), a v3 onion
 * name with a valid checksum, a dotted-quad IPv4 literal, or an IPv6 literal. Deliberately stricter
 * than URI parsers: no percent-encoding, no zone IDs, no octal or hex IPv4 forms.
 */
final class Hosts {
  static final int MAX_DNS_LENGTH = 253;
  private static final int ONION_V3_LENGTH = 56;

  private Hosts() {}

  /** The kind of a valid host. */
  enum Kind {
    DNS,
    ONION,
    IPV4,
    IPV6
  }

  /**
   * Returns the canonical (lower-case) form of a host given without brackets, or throws.
   *
   * @param bracketed whether the address wrote it in brackets (only IPv6 is, and must be)
   */
  static String canonical(String host, boolean bracketed) throws AddressException {
    if (bracketed) {
      if (!isIpv6(host)) {
        throw new AddressException(AddressError.HOST, "bracketed host is not an IPv6 address");
      }
      return host.toLowerCase(Locale.ROOT);
    }
    if (host.isEmpty()) {
      throw new AddressException(AddressError.HOST, "host is empty");
    }
    if (host.indexOf(':') >= 0) {
      throw new AddressException(AddressError.HOST, "an IPv6 host must be written in brackets");
    }
    String lower = host.toLowerCase(Locale.ROOT);
    if (looksNumeric(lower)) {
      if (!isIpv4(lower)) {
        throw new AddressException(
            AddressError.HOST, "numeric host is not a dotted-quad IPv4 address");
      }
      return lower;
    }
    checkDnsName(lower);
    return lower;
  }

  static Kind kind(String canonicalHost) {
    if (canonicalHost.indexOf(':') >= 0) {
      return Kind.IPV6;
    }
    if (looksNumeric(canonicalHost)) {
      return Kind.IPV4;
    }
    return canonicalHost.endsWith(".onion") ? Kind.ONION : Kind.DNS;
  }

  // A name whose last label is all digits would be read as an IPv4 address by resolvers.
  private static boolean looksNumeric(String host) {
    int lastDot = host.lastIndexOf('.');
    String last = host.substring(lastDot + 1);
    if (last.isEmpty()) {
      return false;
    }
    for (int i = 0; i < last.length(); i++) {
      if (last.charAt(i) < '0' || last.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private static void checkDnsName(String host) throws AddressException {
    if (host.length() > MAX_DNS_LENGTH) {
      throw new AddressException(
          AddressError.HOST, "host name longer than " + MAX_DNS_LENGTH + " characters");
    }
    String[] labels = host.split("\\.", -1);
    for (String label : labels) {
      if (label.isEmpty() || label.length() > 63) {
        throw new AddressException(
            AddressError.HOST, "host name label must be 1 to 63 characters (no empty labels)");
      }
      if (label.charAt(0) == '-' || label.charAt(label.length() - 1) == '-') {
        throw new AddressException(
            AddressError.HOST, "host name label must not start or end with '-'");
      }
      for (int i = 0; i < label.length(); i++) {
        char c = label.charAt(i);
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
          throw new AddressException(
              AddressError.HOST, "host name may contain only letters, digits, '-' and '.'");
        }
      }
    }
    if (labels[labels.length - 1].equals("onion")) {
      if (labels.length < 2 || !isOnionV3(labels[labels.length - 2])) {
        throw new AddressException(
            AddressError.HOST, "not a valid version 3 onion name (56 base32 characters)");
      }
    }
  }

  /**
   * Tor rend-spec-v3: 56 base32 characters of {@code pubkey (32) ‖ checksum (2) ‖ version (1)},
   * version 3, checksum = SHA3-256(".onion checksum" ‖ pubkey ‖ version)[0..2].
   */
  static boolean isOnionV3(String label) {
    if (label.length() != ONION_V3_LENGTH) {
      return false;
    }
    byte[] raw = new byte[35];
    long buffer = 0;
    int bits = 0;
    int out = 0;
    for (int i = 0; i < label.length(); i++) {
      char c = label.charAt(i);
      int v;
      if (c >= 'a' && c <= 'z') {
        v = c - 'a';
      } else if (c >= '2' && c <= '7') {
        v = c - '2' + 26;
      } else {
        return false;
      }
      buffer = (buffer << 5) | v;
      bits += 5;
      if (bits >= 8) {
        bits -= 8;
        raw[out++] = (byte) (buffer >>> bits);
      }
    }
    if (raw[34] != 3) {
      return false;
    }
    try {
      MessageDigest sha3 = MessageDigest.getInstance("SHA3-256");
      sha3.update(".onion checksum".getBytes(StandardCharsets.US_ASCII));
      sha3.update(raw, 0, 32);
      sha3.update((byte) 3);
      byte[] digest = sha3.digest();
      return digest[0] == raw[32] && digest[1] == raw[33];
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA3-256 is required of every Java 9+ runtime", e);
    }
  }

  /** Four decimal octets 0..255 without leading zeros. */
  static boolean isIpv4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String part : parts) {
      if (!isDecimalUpTo(part, 255)) {
        return false;
      }
    }
    return true;
  }

  /**
   * RFC 4291 §2.2 text forms: eight groups of 1-4 hex digits, at most one "::" standing for one or
   * more zero groups, optionally ending in a dotted-quad IPv4 address (two groups). No zone ID.
   */
  static boolean isIpv6(String s) {
    if (s.isEmpty() || s.length() > 45) {
      return false;
    }
    int doubleColon = s.indexOf("::");
    if (doubleColon >= 0 && s.indexOf("::", doubleColon + 1) >= 0) {
      return false;
    }
    String head = doubleColon >= 0 ? s.substring(0, doubleColon) : s;
    String tail = doubleColon >= 0 ? s.substring(doubleColon + 2) : "";
    int groups = 0;
    String[] sides = doubleColon >= 0 ? new String[] {head, tail} : new String[] {head};
    for (int side = 0; side < sides.length; side++) {
      String part = sides[side];
      if (part.isEmpty()) {
        continue;
      }
      String[] fields = part.split(":", -1);
      for (int i = 0; i < fields.length; i++) {
        String f = fields[i];
        boolean lastField = side == sides.length - 1 && i == fields.length - 1;
        if (lastField && f.indexOf('.') >= 0) {
          if (!isIpv4(f)) {
            return false;
          }
          groups += 2;
        } else if (isHexGroup(f)) {
          groups++;
        } else {
          return false;
        }
      }
    }
    return doubleColon >= 0 ? groups <= 7 : groups == 8;
  }

  private static boolean isHexGroup(String f) {
    if (f.isEmpty() || f.length() > 4) {
      return false;
    }
    for (int i = 0; i < f.length(); i++) {
      char c = f.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
        return false;
      }
    }
    return true;
  }

  /** Canonical decimal (no sign, no leading zeros) with a value of at most {@code max}. */
  static boolean isDecimalUpTo(String s, int max) {
    if (s.isEmpty() || s.length() > 10 || (s.length() > 1 && s.charAt(0) == '0')) {
      return false;
    }
    long value = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
      value = value * 10 + (c - '0');
    }
    return value <= max;
  }
}
