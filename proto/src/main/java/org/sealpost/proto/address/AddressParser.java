package org.sealpost.proto.address;

/**
 * Parses the text form shared by relay and mailbox addresses (docs/protocol.md §8):
 *
 * <pre>
 * scheme "://" relay-key "@" host ":" port
 *   [ "/m/" sender-id "." sealing-key [ "." send-token ] "." checksum ] [ "?b=" block-size ]
 * </pre>
 *
 * Messages name the part that is wrong and never repeat its characters.
 */
final class AddressParser {
  static final int KEY_BYTES = 32;
  static final int TOKEN_BYTES = 16;
  static final int KEY_CHARS = Base64Url.encodedLength(KEY_BYTES); // 43
  static final int TOKEN_CHARS = Base64Url.encodedLength(TOKEN_BYTES); // 22
  static final String MAILBOX_PATH = "/m/";

  private AddressParser() {}

  /** What a parse found; the mailbox parts are null for a relay address. */
  record Parsed(
      RelayAddress relay,
      byte[] senderId,
      byte[] sealingKey,
      byte[] sendToken,
      byte[] checksum,
      boolean mailbox) {}

  static Parsed parse(String text, int maxLength) throws AddressException {
    if (text == null) {
      throw new AddressException(AddressError.SYNTAX, "address is missing");
    }
    if (text.length() > maxLength) {
      throw new AddressException(
          AddressError.SYNTAX, "address longer than " + maxLength + " characters");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c <= 0x20 || c >= 0x7F) {
        throw new AddressException(
            AddressError.SYNTAX,
            "address contains a space, control or non-ASCII character at position " + i);
      }
    }

    Transport transport;
    int pos;
    if (text.startsWith(Transport.TLS.scheme() + "://")) {
      transport = Transport.TLS;
      pos = Transport.TLS.scheme().length() + 3;
    } else if (text.startsWith(Transport.PLAIN.scheme() + "://")) {
      transport = Transport.PLAIN;
      pos = Transport.PLAIN.scheme().length() + 3;
    } else {
      throw new AddressException(
          AddressError.SCHEME, "address must start with sealpost:// or sealpost+ws://");
    }

    int at = pos + KEY_CHARS;
    if (text.length() <= at || text.charAt(at) != '@') {
      throw new AddressException(
          AddressError.RELAY_KEY, "relay key must be 43 base64url characters followed by '@'");
    }
    byte[] relayKey = Base64Url.decode(text.substring(pos, at), KEY_BYTES);
    if (relayKey == null) {
      throw new AddressException(
          AddressError.RELAY_KEY, "relay key is not canonical unpadded base64url of 32 bytes");
    }
    pos = at + 1;

    String host;
    if (pos < text.length() && text.charAt(pos) == '[') {
      int close = text.indexOf(']', pos);
      if (close < 0) {
        throw new AddressException(AddressError.HOST, "IPv6 host is missing its ']'");
      }
      host = Hosts.canonical(text.substring(pos + 1, close), true);
      pos = close + 1;
    } else {
      int end = pos;
      while (end < text.length() && ":/?".indexOf(text.charAt(end)) < 0) {
        end++;
      }
      host = Hosts.canonical(text.substring(pos, end), false);
      pos = end;
    }

    if (pos >= text.length() || text.charAt(pos) != ':') {
      throw new AddressException(AddressError.PORT, "port is missing after the host");
    }
    pos++;
    int portEnd = pos;
    while (portEnd < text.length() && "/?".indexOf(text.charAt(portEnd)) < 0) {
      portEnd++;
    }
    String portText = text.substring(pos, portEnd);
    if (!Hosts.isDecimalUpTo(portText, 65_535) || portText.equals("0")) {
      throw new AddressException(
          AddressError.PORT, "port must be a decimal number 1..65535 without leading zeros");
    }
    int port = Integer.parseInt(portText);
    pos = portEnd;

    byte[] senderId = null;
    byte[] sealingKey = null;
    byte[] sendToken = null;
    byte[] checksum = null;
    boolean mailbox = false;
    if (pos < text.length() && text.charAt(pos) == '/') {
      if (!text.startsWith(MAILBOX_PATH, pos)) {
        throw new AddressException(
            AddressError.MAILBOX_PATH, "the only path an address may have is /m/...");
      }
      mailbox = true;
      pos += MAILBOX_PATH.length();
      int pathEnd = text.indexOf('?', pos);
      if (pathEnd < 0) {
        pathEnd = text.length();
      }
      String[] parts = text.substring(pos, pathEnd).split("\\.", -1);
      if (parts.length == 2) {
        throw new AddressException(
            AddressError.MAILBOX_PATH,
            "mailbox path has no checksum: an address from an older Sealpost, ask for a new one");
      }
      if (parts.length != 3 && parts.length != 4) {
        throw new AddressException(
            AddressError.MAILBOX_PATH,
            "mailbox path must be /m/<sender id>.<sealing key>[.<send token>].<checksum>");
      }
      senderId = Base64Url.decode(parts[0], KEY_BYTES);
      if (senderId == null) {
        throw new AddressException(
            AddressError.SENDER_ID, "sender ID is not 43 base64url characters (32 bytes)");
      }
      sealingKey = Base64Url.decode(parts[1], KEY_BYTES);
      if (sealingKey == null) {
        throw new AddressException(
            AddressError.SEALING_KEY, "sealing key is not 43 base64url characters (32 bytes)");
      }
      if (parts.length == 4) {
        sendToken = Base64Url.decode(parts[2], TOKEN_BYTES);
        if (sendToken == null) {
          throw new AddressException(
              AddressError.SEND_TOKEN, "send token is not 22 base64url characters (16 bytes)");
        }
      }
      checksum = Base64Url.decode(parts[parts.length - 1], AddressChecksum.BYTES);
      if (checksum == null) {
        throw new AddressException(
            AddressError.CHECKSUM,
            "checksum is not 8 base64url characters (an address from an older Sealpost has"
                + " none: ask for a new one)");
      }
      pos = pathEnd;
    }

    int blockSize = RelayAddress.DEFAULT_BLOCK_SIZE;
    if (pos < text.length()) {
      // only '?' can be here: host, port and path scanning all stop at it or at the end
      String query = text.substring(pos + 1);
      if (!query.startsWith("b=")
          || !Hosts.isDecimalUpTo(query.substring(2), RelayAddress.MAX_BLOCK_SIZE)
          || Integer.parseInt(query.substring(2)) < RelayAddress.MIN_BLOCK_SIZE) {
        throw new AddressException(
            AddressError.BLOCK_SIZE,
            "query must be exactly b=<block size>, a decimal number 1024..65535");
      }
      blockSize = Integer.parseInt(query.substring(2));
    }

    RelayAddress relay = new RelayAddress(transport, relayKey, host, port, blockSize);
    return new Parsed(relay, senderId, sealingKey, sendToken, checksum, mailbox);
  }
}
