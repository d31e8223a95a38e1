package org.sealpost.proto.address;

/** How a client reaches the relay's WebSocket endpoint (path {@code /v1}). */
public enum Transport {
  /** {@code sealpost://}: WebSocket over TLS ({@code wss://host:port/v1}). The default. */
  TLS("sealpost", "wss"),
  /**
   * {@code sealpost+ws://}: WebSocket without TLS ({@code ws://host:port/v1}), for onion services
   * and relays behind a TLS-terminating proxy. The Noise session still encrypts every block.
   */
  PLAIN("sealpost+ws", "ws");

  private final String scheme;
  private final String webSocketScheme;

  Transport(String scheme, String webSocketScheme) {
    this.scheme = scheme;
    this.webSocketScheme = webSocketScheme;
  }

  /** The address scheme, without {@code ://}. */
  public String scheme() {
    return scheme;
  }

  /** The WebSocket URL scheme, {@code wss} or {@code ws}. */
  public String webSocketScheme() {
    return webSocketScheme;
  }
}
