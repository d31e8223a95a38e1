package org.sealpost.relay;

import io.vertx.core.dns.AddressResolverOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Logger;
import org.sealpost.proto.net.SystemResolver;

/**
 * The relay's resolver options: the servers of {@code /etc/resolv.conf}, or the local machine where
 * it names none, never Netty's fallback of Google Public DNS ({@link SystemResolver} says why). The
 * relay resolves names that clients chose (the destinations of {@code Forward} and circuits) and
 * its cluster's member names.
 */
public final class SystemDns {
  private static final System.Logger LOG = System.getLogger(SystemDns.class.getName());

  /**
   * Netty's fallback provider, which announces Google's servers as "default" when its class loads.
   * Every Netty resolver builder loads it where the file names no server, even one then given other
   * servers, as the relay's is: the line would be false, so it is dropped. Held strongly.
   */
  private static final Logger NETTY_FALLBACK =
      Logger.getLogger("io.netty.resolver.dns.DefaultDnsServerAddressStreamProvider");

  private SystemDns() {}

  /** Resolver options for the relay's Vert.x, given this machine's {@code /etc/resolv.conf}. */
  public static AddressResolverOptions options() {
    return options(SystemResolver.RESOLV_CONF, SystemResolver.LOCAL_SERVER);
  }

  /** As {@link #options()}, with {@code local} ({@code host[:port]}) for the local server. */
  static AddressResolverOptions options(Path resolvConf, String local) {
    AddressResolverOptions options = new AddressResolverOptions();
    List<String> servers = SystemResolver.serversInsteadOfFallback(resolvConf, local);
    if (!servers.isEmpty()) {
      options.setServers(servers);
      NETTY_FALLBACK.setFilter(record -> false);
      LOG.log(
          System.Logger.Level.INFO,
          "no name server in {0}: the relay''s resolver asks {1}, as the C library does",
          resolvConf,
          local);
    }
    return options; // otherwise Netty reads the file's servers itself, as before
  }
}
