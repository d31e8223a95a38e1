package org.sealpost.relay;

import java.util.Optional;
import org.sealpost.proto.address.AddressException;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.proto.address.Transport;
import org.sealpost.relay.config.RelayConfig;

/**
 * The relay's own address (protocol §8), formatted by the proto module's {@link RelayAddress} so
 * the relay prints exactly what clients parse: {@code sealpost://} with TLS, {@code sealpost+ws://}
 * in plain-WebSocket mode, and {@code ?b=B} when B is not the default.
 */
public final class RelayAddresses {
  private RelayAddresses() {}

  public static String format(
      byte[] relayPublicKey, String host, int port, int blockSize, boolean tls) {
    return format(relayPublicKey, host, port, blockSize, tls ? Transport.TLS : Transport.PLAIN);
  }

  /**
   * The address clients are given for a relay with this configuration: {@code public-host}, {@code
   * public.port} (else the listener's {@code boundPort}) and {@code public.scheme} (else from
   * {@code tls.enabled}).
   */
  public static String forClients(RelayConfig config, byte[] relayPublicKey, int boundPort) {
    return format(
        relayPublicKey,
        config.publicHost(),
        config.addressPort(boundPort),
        config.blockSize(),
        config.addressTransport());
  }

  /**
   * A warning for an address only this machine can use: {@code public-host} left at a loopback name
   * while the listener takes connections from elsewhere (the default under the systemd unit).
   */
  public static Optional<String> warning(RelayConfig config) {
    String host = config.publicHost().replace("[", "").replace("]", "");
    boolean loopbackName =
        host.equalsIgnoreCase("localhost") || host.startsWith("127.") || host.equals("::1");
    String listen = config.listenHost();
    boolean listensLocally =
        listen.equalsIgnoreCase("localhost") || listen.startsWith("127.") || listen.equals("::1");
    if (loopbackName && !listensLocally) {
      return Optional.of(
          "public-host is "
              + config.publicHost()
              + ": only clients on this machine can use this address; set public-host (and"
              + " public.port, public.scheme behind a proxy) to what clients reach");
    }
    return Optional.empty();
  }

  public static String format(
      byte[] relayPublicKey, String host, int port, int blockSize, Transport transport) {
    try {
      return RelayAddress.of(transport, relayPublicKey, host, port, blockSize).format();
    } catch (AddressException e) {
      // the message names the part (host, port, block size), never the key
      throw new IllegalArgumentException(
          "the configured public host, port and block size do not form a relay address: "
              + e.getMessage(),
          e);
    }
  }
}
