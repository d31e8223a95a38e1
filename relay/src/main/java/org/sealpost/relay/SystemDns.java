package org.sealpost.relay;

import io.vertx.core.dns.AddressResolverOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The DNS servers the relay's own resolver asks: those of {@code /etc/resolv.conf}, as for any
 * program on the machine. The relay resolves names that clients chose (the destinations of {@code
 * Forward} and circuits) and its cluster's member names, through Netty's resolver, which reads that
 * file itself; but where the file is missing or names no server (a container root without one, a
 * chroot), Netty falls back to JNDI and then to Google Public DNS (8.8.8.8 and 8.8.4.4), and the
 * names a relay forwards to, with their timing, would go to a third party no one configured. The C
 * library in that case asks the local machine (resolv.conf(5)); so does the relay.
 */
public final class SystemDns {
  /** Where the C library reads its resolver configuration. */
  public static final Path RESOLV_CONF = Path.of("/etc/resolv.conf");

  /** The C library's server when its configuration names none (resolv.conf(5)). */
  static final String LOCAL_SERVER = "127.0.0.1";

  private static final Pattern NAMESERVER = Pattern.compile("^\\s*nameserver\\s+\\S+.*$");

  private static final System.Logger LOG = System.getLogger(SystemDns.class.getName());

  /**
   * Netty's fallback provider, which announces Google's servers as "default" when its class loads.
   * Every Netty resolver builder loads it where the file names no server, even one then given other
   * servers, as the relay's is: the line would be false, so it is dropped. Held strongly.
   */
  private static final Logger NETTY_FALLBACK =
      Logger.getLogger("io.netty.resolver.dns.DefaultDnsServerAddressStreamProvider");

  private SystemDns() {}

  /** Resolver options for the relay's Vert.x, given the machine's resolver configuration. */
  public static AddressResolverOptions options(Path resolvConf) {
    return options(resolvConf, LOCAL_SERVER);
  }

  /** As {@link #options(Path)}, with {@code local} ({@code host[:port]}) for the local server. */
  static AddressResolverOptions options(Path resolvConf, String local) {
    AddressResolverOptions options = new AddressResolverOptions();
    if (!namesAServer(resolvConf)) {
      options.setServers(List.of(local));
      NETTY_FALLBACK.setFilter(record -> false);
      LOG.log(
          System.Logger.Level.INFO,
          "no name server in {0}: the relay''s resolver asks {1}, as the C library does",
          resolvConf,
          local);
    }
    return options; // otherwise Netty reads the file's servers itself, as before
  }

  /** Whether {@code resolvConf} can be read and has a {@code nameserver} line. */
  static boolean namesAServer(Path resolvConf) {
    try {
      return Files.readAllLines(resolvConf, StandardCharsets.ISO_8859_1).stream()
          .anyMatch(line -> NAMESERVER.matcher(line).matches());
    } catch (IOException e) {
      return false;
    }
  }
}
