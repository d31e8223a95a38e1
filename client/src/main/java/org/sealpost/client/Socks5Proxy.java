package org.sealpost.client;

import java.util.Objects;

/**
 * A SOCKS5 proxy the client reaches every relay through (Tor's SocksPort, usually {@code
 * 127.0.0.1:9050}). The relay's host name is handed to the proxy unresolved (RFC 1928 address type
 * 3), so the client never asks its own DNS for it — required for {@code .onion} names, and what
 * keeps the relays a client uses out of its resolver's logs. The proxy's own host is resolved
 * locally; give it as an IP address to avoid that too.
 *
 * @param host the proxy's host name or IP literal (IPv6 without brackets)
 * @param port 1..65535
 */
public record Socks5Proxy(String host, int port) {
  public Socks5Proxy {
    Objects.requireNonNull(host, "host");
    if (host.isEmpty() || port < 1 || port > 65_535) {
      throw new IllegalArgumentException("a SOCKS5 proxy needs a host and a port 1..65535");
    }
  }

  /**
   * Parses {@code HOST:PORT} or {@code [IPV6]:PORT}.
   *
   * @throws IllegalArgumentException naming what is wrong (the text given is not repeated)
   */
  public static Socks5Proxy parse(String text) {
    Objects.requireNonNull(text, "text");
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException("a SOCKS5 proxy is HOST:PORT, e.g. 127.0.0.1:9050");
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.indexOf(':') >= 0) {
      throw new IllegalArgumentException("an IPv6 SOCKS5 proxy is written [ADDRESS]:PORT");
    }
    String portText = text.substring(colon + 1);
    if (!portText.chars().allMatch(c -> c >= '0' && c <= '9') || portText.length() > 5) {
      throw new IllegalArgumentException("the SOCKS5 proxy port must be a number 1..65535");
    }
    return new Socks5Proxy(host, Integer.parseInt(portText));
  }

  /** {@code host:port}, brackets around an IPv6 host. */
  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
