package org.sealpost.relay;

import java.util.Base64;
import org.sealpost.relay.config.RelayConfig;

/**
 * Formats a relay address (protocol §8): {@code sealpost://<base64url key>@host:port}, with {@code
 * ?b=B} when B is not the default. Kept in one method so the proto module's address formatter can
 * replace it.
 */
public final class RelayAddresses {
  private RelayAddresses() {}

  public static String format(byte[] relayPublicKey, String host, int port, int blockSize) {
    String key = Base64.getUrlEncoder().withoutPadding().encodeToString(relayPublicKey);
    String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    String b = blockSize == RelayConfig.DEFAULT_BLOCK_SIZE ? "" : "?b=" + blockSize;
    return "sealpost://" + key + "@" + h + ":" + port + b;
  }
}
