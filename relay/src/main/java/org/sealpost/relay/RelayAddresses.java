package org.sealpost.relay;

import org.sealpost.proto.address.AddressException;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.proto.address.Transport;

/**
 * The relay's own address (protocol §8), formatted by the proto module's {@link RelayAddress} so
 * the relay prints exactly what clients parse: {@code sealpost://} with TLS, {@code sealpost+ws://}
 * in plain-WebSocket mode, and {@code ?b=B} when B is not the default.
 */
public final class RelayAddresses {
  private RelayAddresses() {}

  public static String format(
      byte[] relayPublicKey, String host, int port, int blockSize, boolean tls) {
    Transport transport = tls ? Transport.TLS : Transport.PLAIN;
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
