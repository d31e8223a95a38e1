package org.sealpost.proto.address;

/** What is wrong with a relay or mailbox address. Closed set. */
public enum AddressError {
  /** Longer than {@link RelayAddress#MAX_LENGTH} characters, or contains forbidden characters. */
  SYNTAX,
  /** Not {@code sealpost://} or {@code sealpost+ws://}. */
  SCHEME,
  /** The relay key is not 43 characters of canonical unpadded base64url (32 bytes). */
  RELAY_KEY,
  /** The host is not a valid DNS name, dotted-quad IPv4, bracketed IPv6 or v3 onion name. */
  HOST,
  /** The port is missing, not decimal, has leading zeros, or is outside 1..65535. */
  PORT,
  /** The query is not exactly {@code b=<B>} with 1024 ≤ B ≤ 65535 in canonical decimal. */
  BLOCK_SIZE,
  /**
   * A path that is not {@code /m/<sender id>.<sealing key>[.<send token>].<checksum>} (an address
   * from before checksums has no checksum part).
   */
  MAILBOX_PATH,
  /** The sender ID is not 43 characters of canonical unpadded base64url (32 bytes). */
  SENDER_ID,
  /** The sealing key is not 43 characters of canonical unpadded base64url (32 bytes). */
  SEALING_KEY,
  /** The send token is not 22 characters of canonical unpadded base64url (16 bytes). */
  SEND_TOKEN,
  /**
   * The mailbox address's checksum is not 8 base64url characters, or does not match the rest of the
   * address: a typo, a truncation, or an address from before checksums.
   */
  CHECKSUM,
  /** A relay address was expected and a mailbox address was given, or the other way round. */
  WRONG_KIND
}
