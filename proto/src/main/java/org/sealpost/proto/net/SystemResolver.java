package org.sealpost.proto.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which DNS servers a relay or client resolver asks: those of {@code /etc/resolv.conf}, as for any
 * program on the machine. Both use Netty's resolver (through Vert.x), which reads that file itself;
 * but where the file is missing or names no server (a container root without one, a chroot), Netty
 * falls back to JNDI and then to Google Public DNS (8.8.8.8 and 8.8.4.4), so the names of relays a
 * client uses, or that a relay forwards to, would go to a third party no one configured. The C
 * library in that case asks the local machine (resolv.conf(5)); so do Sealpost's resolvers.
 */
public final class SystemResolver {
  /** Where the C library reads its resolver configuration. */
  public static final Path RESOLV_CONF = Path.of("/etc/resolv.conf");

  /** The C library's server when its configuration names none (resolv.conf(5)). */
  public static final String LOCAL_SERVER = "127.0.0.1";

  private static final Pattern NAMESERVER = Pattern.compile("^\\s*nameserver\\s+\\S+.*$");

  private SystemResolver() {}

  /**
   * The servers to give the resolver so that it never uses its own fallback: none when {@code
   * resolvConf} names a server (the resolver reads the file itself), else {@code local}.
   */
  public static List<String> serversInsteadOfFallback(Path resolvConf, String local) {
    return namesAServer(resolvConf) ? List.of() : List.of(local);
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
