package org.sealpost.proto.address;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A mailbox address, what a recipient hands a contact (docs/protocol.md §8):
 *
 * <pre>
 * sealpost://&lt;relay key&gt;@host:port/m/&lt;sender id&gt;.&lt;sealing key&gt;[.&lt;send token&gt;].&lt;checksum&gt;[?b=&lt;B&gt;]
 * </pre>
 *
 * The checksum covers the whole canonical address, so a mistyped character anywhere is refused by
 * {@link #parse} before anything is sent.
 *
 * <p>It names the relay, the queue's sender ID, the recipient's sealing X25519 public key and, for
 * a secured queue, the send token. It is a capability to send: {@link #toString()} leaves out
 * everything but the relay's host, {@link #format()} gives the full text.
 */
public final class MailboxAddress {
  /** Longest mailbox address accepted: a relay address plus the path. */
  public static final int MAX_LENGTH =
      RelayAddress.MAX_LENGTH + 3 + 43 + 1 + 43 + 1 + 22 + 1 + AddressChecksum.CHARS;

  public static final int SENDER_ID_LENGTH = 32;
  public static final int SEALING_KEY_LENGTH = 32;
  public static final int SEND_TOKEN_LENGTH = 16;

  private final RelayAddress relay;
  private final byte[] senderId;
  private final byte[] sealingKey;
  private final byte[] sendToken; // null when the queue takes sends without a token

  private MailboxAddress(RelayAddress relay, byte[] senderId, byte[] sealingKey, byte[] sendToken) {
    this.relay = relay;
    this.senderId = senderId;
    this.sealingKey = sealingKey;
    this.sendToken = sendToken;
  }

  /**
   * Parses a mailbox address.
   *
   * @throws AddressException naming what is wrong; {@link AddressError#WRONG_KIND} for a relay
   *     address without the mailbox path, {@link AddressError#CHECKSUM} when the checksum does not
   *     match the rest of the address
   */
  public static MailboxAddress parse(String text) throws AddressException {
    AddressParser.Parsed parsed = AddressParser.parse(text, MAX_LENGTH);
    if (!parsed.mailbox()) {
      throw new AddressException(
          AddressError.WRONG_KIND,
          "this is a relay address, a mailbox address (/m/...) was expected");
    }
    StringBuilder relayText = new StringBuilder();
    parsed.relay().appendBase(relayText);
    parsed.relay().appendQuery(relayText);
    if (relayText.length() > RelayAddress.MAX_LENGTH) {
      throw new AddressException(
          AddressError.SYNTAX, "relay part longer than " + RelayAddress.MAX_LENGTH + " characters");
    }
    MailboxAddress address =
        new MailboxAddress(
            parsed.relay(), parsed.senderId(), parsed.sealingKey(), parsed.sendToken());
    if (!AddressChecksum.matches(parsed.checksum(), address.formatWithoutChecksum())) {
      throw new AddressException(
          AddressError.CHECKSUM,
          "checksum does not match: the address was mistyped or cut short somewhere");
    }
    return address;
  }

  /**
   * Builds a mailbox address from its parts.
   *
   * @param sendToken 16 bytes, or null for a queue that is not secured
   */
  public static MailboxAddress of(
      RelayAddress relay, byte[] senderId, byte[] sealingKey, byte[] sendToken)
      throws AddressException {
    Objects.requireNonNull(relay, "relay");
    if (senderId == null || senderId.length != SENDER_ID_LENGTH) {
      throw new AddressException(AddressError.SENDER_ID, "sender ID must be 32 bytes");
    }
    if (sealingKey == null || sealingKey.length != SEALING_KEY_LENGTH) {
      throw new AddressException(AddressError.SEALING_KEY, "sealing key must be 32 bytes");
    }
    if (sendToken != null && sendToken.length != SEND_TOKEN_LENGTH) {
      throw new AddressException(AddressError.SEND_TOKEN, "send token must be 16 bytes");
    }
    return new MailboxAddress(
        relay, senderId.clone(), sealingKey.clone(), sendToken == null ? null : sendToken.clone());
  }

  // issue 12: relay-key rotation
  /** The same mailbox on {@code relay} (its relay under a successor key); a new checksum. */
  public MailboxAddress withRelay(RelayAddress relay) {
    return new MailboxAddress(
        Objects.requireNonNull(relay, "relay"), senderId, sealingKey, sendToken);
  }

  /** The canonical text form, checksum included. */
  public String format() {
    String checksum = Base64Url.encode(AddressChecksum.of(formatWithoutChecksum()));
    StringBuilder sb = new StringBuilder(MAX_LENGTH);
    appendPath(sb);
    sb.append('.').append(checksum);
    relay.appendQuery(sb);
    return sb.toString();
  }

  /** The text the checksum covers: the canonical address with the checksum part left out. */
  private String formatWithoutChecksum() {
    StringBuilder sb = new StringBuilder(MAX_LENGTH);
    appendPath(sb);
    relay.appendQuery(sb);
    return sb.toString();
  }

  private void appendPath(StringBuilder sb) {
    relay.appendBase(sb);
    sb.append(AddressParser.MAILBOX_PATH)
        .append(Base64Url.encode(senderId))
        .append('.')
        .append(Base64Url.encode(sealingKey));
    if (sendToken != null) {
      sb.append('.').append(Base64Url.encode(sendToken));
    }
  }

  public RelayAddress relay() {
    return relay;
  }

  /** The queue's sender ID (a copy). */
  public byte[] senderId() {
    return senderId.clone();
  }

  /** The recipient's sealing X25519 public key (a copy). */
  public byte[] sealingKey() {
    return sealingKey.clone();
  }

  /** The send token a Send to this queue must carry, if the queue is secured (a copy). */
  public Optional<byte[]> sendToken() {
    return Optional.ofNullable(sendToken).map(byte[]::clone);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MailboxAddress other
        && relay.equals(other.relay)
        && Arrays.equals(senderId, other.senderId)
        && Arrays.equals(sealingKey, other.sealingKey)
        && Arrays.equals(sendToken, other.sendToken);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        relay, Arrays.hashCode(senderId), Arrays.hashCode(sealingKey), Arrays.hashCode(sendToken));
  }

  /** The relay's host and port only: sender ID, keys and token are never in this text. */
  @Override
  public String toString() {
    return "MailboxAddress[" + relay + "/m/…]";
  }
}
