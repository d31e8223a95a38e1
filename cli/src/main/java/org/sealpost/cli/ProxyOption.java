package org.sealpost.cli;

import org.sealpost.client.ClientOptions;
import org.sealpost.client.Socks5Proxy;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --socks5 HOST:PORT} (or {@code SEALPOST_SOCKS5}, so a Tor user sets it once): every relay
 * connection goes through that SOCKS5 proxy, which resolves the relay's host (issue 12).
 */
final class ProxyOption {
  static final String ENV = "SEALPOST_SOCKS5";

  @Option(
      names = "--socks5",
      paramLabel = "HOST:PORT",
      converter = Socks5Converter.class,
      defaultValue = "${env:" + ENV + "}",
      description =
          "Reach relays through this SOCKS5 proxy (Tor: 127.0.0.1:9050); the proxy resolves relay"
              + " names, required for .onion relays. Default: $"
              + ENV
              + ", else direct.")
  Socks5Proxy socks5;

  ClientOptions.Builder applyTo(ClientOptions.Builder b) {
    return b.socks5(socks5);
  }

  /** {@code HOST:PORT} or {@code [IPV6]:PORT}. */
  static final class Socks5Converter implements ITypeConverter<Socks5Proxy> {
    @Override
    public Socks5Proxy convert(String value) {
      try {
        return Socks5Proxy.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
