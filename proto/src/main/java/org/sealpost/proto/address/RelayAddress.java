package org.sealpost.proto.address;

import java.util.Arrays;
import java.util.Objects;
import org.sealpost.proto.codec.BlockCodec;

/**
 * A relay address: {@code sealpost://<relay key>@host:port[?b=<B>]} (docs/protocol.md §8). It pins
 * the relay's static X25519 key, so no certificate authority is needed, and carries the block size
 * B when it is not the default, because a client needs B for its first message. Immutable; {@link
 * #toString()} leaves out the key, {@link #format()} gives the full text.
 */
public final class RelayAddress {
  /** Longest relay address accepted, so that one fits a Forward's destination field. */
  public static final int MAX_LENGTH = 255;

  public static final int DEFAULT_BLOCK_SIZE = BlockCodec.DEFAULT_BLOCK_SIZE;
  public static final int MIN_BLOCK_SIZE = BlockCodec.MIN_BLOCK_SIZE;
  public static final int MAX_BLOCK_SIZE = BlockCodec.MAX_BLOCK_SIZE;

  /** Length of the relay's static X25519 public key. */
  public static final int KEY_LENGTH = 32;

  private final Transport transport;
  private final byte[] relayKey;
  private final String host;
  private final int port;
  private final int blockSize;

  RelayAddress(Transport transport, byte[] relayKey, String host, int port, int blockSize) {
    this.transport = transport;
    this.relayKey = relayKey;
    this.host = host;
    this.port = port;
    this.blockSize = blockSize;
  }

  /**
   * Parses a relay address.
   *
   * @throws AddressException naming what is wrong; {@link AddressError#WRONG_KIND} for a mailbox
   *     address
   */
  public static RelayAddress parse(String text) throws AddressException {
    AddressParser.Parsed parsed = AddressParser.parse(text, MAX_LENGTH);
    if (parsed.mailbox()) {
      throw new AddressException(
          AddressError.WRONG_KIND, "this is a mailbox address, a relay address was expected");
    }
    return parsed.relay();
  }

  /**
   * Builds a relay address from its parts, validated as {@link #parse} would.
   *
   * @param host a DNS name, onion name, IPv4 literal, or IPv6 literal without brackets
   */
  public static RelayAddress of(
      Transport transport, byte[] relayKey, String host, int port, int blockSize)
      throws AddressException {
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(host, "host");
    if (relayKey == null || relayKey.length != KEY_LENGTH) {
      throw new AddressException(AddressError.RELAY_KEY, "relay key must be 32 bytes");
    }
    String canonicalHost = Hosts.canonical(host, host.indexOf(':') >= 0);
    if (port < 1 || port > 65_535) {
      throw new AddressException(AddressError.PORT, "port must be 1..65535");
    }
    if (blockSize < MIN_BLOCK_SIZE || blockSize > MAX_BLOCK_SIZE) {
      throw new AddressException(AddressError.BLOCK_SIZE, "block size must be 1024..65535");
    }
    RelayAddress address =
        new RelayAddress(transport, relayKey.clone(), canonicalHost, port, blockSize);
    if (address.format().length() > MAX_LENGTH) {
      throw new AddressException(
          AddressError.SYNTAX, "relay address longer than " + MAX_LENGTH + " characters");
    }
    return address;
  }

  /** The canonical text form; {@code ?b=} appears only when B is not the default. */
  public String format() {
    StringBuilder sb = new StringBuilder(96);
    appendBase(sb);
    appendQuery(sb);
    return sb.toString();
  }

  void appendBase(StringBuilder sb) {
    sb.append(transport.scheme())
        .append("://")
        .append(Base64Url.encode(relayKey))
        .append('@')
        .append(authority());
  }

  void appendQuery(StringBuilder sb) {
    if (blockSize != DEFAULT_BLOCK_SIZE) {
      sb.append("?b=").append(blockSize);
    }
  }

  public Transport transport() {
    return transport;
  }

  /** The relay's static X25519 public key (a copy). */
  public byte[] relayKey() {
    return relayKey.clone();
  }

  // issue 12: relay-key rotation
  /**
   * The same relay (scheme, host, port, B) under another static key: the successor a relay
   * announced in its RelayHello (protocol §4.2.1).
   *
   * @throws IllegalArgumentException if the key is not 32 bytes
   */
  public RelayAddress withRelayKey(byte[] key) {
    if (key == null || key.length != KEY_LENGTH) {
      throw new IllegalArgumentException("relay key must be 32 bytes");
    }
    return new RelayAddress(transport, key.clone(), host, port, blockSize);
  }

  /** The host in canonical form: lower case, IPv6 without brackets. */
  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  /** {@code host:port}, with the host in brackets when it is IPv6. */
  public String authority() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  /** Whether the host is a Tor onion service name. */
  public boolean isOnion() {
    return Hosts.kind(host) == Hosts.Kind.ONION;
  }

  /** Block size B. */
  public int blockSize() {
    return blockSize;
  }

  /** Sealed envelope size E = B − 512. */
  public int envelopeSize() {
    return BlockCodec.envelopeSize(blockSize);
  }

  /** The WebSocket URL to connect to: {@code wss://host:port/v1} (or {@code ws://}). */
  public String webSocketUrl() {
    return transport.webSocketScheme() + "://" + authority() + "/v1";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RelayAddress other
        && transport == other.transport
        && port == other.port
        && blockSize == other.blockSize
        && host.equals(other.host)
        && Arrays.equals(relayKey, other.relayKey);
  }

  @Override
  public int hashCode() {
    return Objects.hash(transport, host, port, blockSize, Arrays.hashCode(relayKey));
  }

  /** Scheme, host, port and B; the key is left out so that the text is safe to log. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(transport.scheme()).append("://…@").append(authority());
    appendQuery(sb);
    return sb.toString();
  }
}
