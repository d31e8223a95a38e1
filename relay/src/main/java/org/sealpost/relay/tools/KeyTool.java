package org.sealpost.relay.tools;

import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.sealpost.relay.RelayAddresses;
import org.sealpost.relay.RelayMain;
import org.sealpost.relay.RelayStartupException;
import org.sealpost.relay.config.RelayConfig;
import org.sealpost.relay.crypto.RelayKeyRotation;
import org.sealpost.relay.process.DataDirectory;

/**
 * {@code sealpost relay key rotate [--transition-days N]} and {@code sealpost relay key retire
 * [--early]} (issue 12, protocol §4.2.1): opens and closes a relay-key rotation in the data
 * directory. Both work with the relay running or stopped; a running relay picks the change up at
 * its next start (restart it). Only the new relay address goes to stdout, for scripts.
 */
public final class KeyTool extends RelayTool {
  /** The transition {@code rotate} announces unless told otherwise. */
  public static final int DEFAULT_TRANSITION_DAYS = 90;

  private static final int MAX_TRANSITION_DAYS = 730;

  private final Clock clock;

  public KeyTool(PrintStream out, PrintStream err, Clock clock) {
    super(out, err);
    this.clock = clock;
  }

  /** Returns the exit code: 0, 2 (configuration or usage), 3 (data directory or relay key). */
  @Override
  public int run(List<String> args, Map<String, String> env) {
    if (args.isEmpty() || args.contains("--help") || args.contains("-h")) {
      usage(args.isEmpty() ? err : out);
      return args.isEmpty() ? RelayMain.EXIT_CONFIG : RelayMain.EXIT_OK;
    }
    String action = args.get(0);
    List<String> rest = new ArrayList<>(args.subList(1, args.size()));
    return switch (action) {
      case "rotate" -> rotate(rest, env);
      case "retire" -> retire(rest, env);
      default -> {
        err.println("unknown key command '" + action + "': use rotate or retire");
        yield RelayMain.EXIT_CONFIG;
      }
    };
  }

  private void usage(PrintStream to) {
    to.println("Usage: sealpost relay key rotate [--transition-days N] [--config FILE] [...]");
    to.println("       sealpost relay key retire [--early] [--config FILE] [...]");
    to.println("rotate creates a successor relay key next to the current one and prints the new");
    to.println("relay address; after a restart the relay serves both keys and tells clients that");
    to.println(
        "connect with the old one to move (N days announced, default "
            + DEFAULT_TRANSITION_DAYS
            + ").");
    to.println("retire, after the announced end (--early: before it), makes the successor the");
    to.println("relay key and deletes the old one; restart the relay afterwards.");
  }

  private int rotate(List<String> args, Map<String, String> env) {
    int days = DEFAULT_TRANSITION_DAYS;
    Optional<String> given;
    try {
      given = take(args, "--transition-days");
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return RelayMain.EXIT_CONFIG;
    }
    if (given.isPresent()) {
      try {
        days = Integer.parseInt(given.get());
      } catch (NumberFormatException e) {
        days = -1;
      }
      if (days < 1 || days > MAX_TRANSITION_DAYS) {
        err.println("--transition-days must be a whole number of days, 1.." + MAX_TRANSITION_DAYS);
        return RelayMain.EXIT_CONFIG;
      }
    }
    Optional<RelayConfig> loaded = load(args, env);
    if (loaded.isEmpty()) {
      return RelayMain.EXIT_CONFIG;
    }
    RelayConfig config = loaded.get();
    LocalDate end = today().plusDays(days);
    byte[] successor;
    try {
      successor =
          RelayKeyRotation.rotate(DataDirectory.inspect(config.dataDir()), end, new SecureRandom());
    } catch (DataDirectory.DataDirectoryException | RelayStartupException e) {
      err.println("cannot rotate the relay key: " + e.getMessage());
      return RelayMain.EXIT_START;
    }
    err.println(
        "successor key created; restart the relay to serve it. Clients that connect with the old"
            + " key move to the new one; retire the old key on or after "
            + end
            + " (UTC) with 'sealpost relay key retire'. The new relay address:");
    return printAddress(config, successor);
  }

  private int retire(List<String> args, Map<String, String> env) {
    boolean early = args.remove("--early");
    Optional<RelayConfig> loaded = load(args, env);
    if (loaded.isEmpty()) {
      return RelayMain.EXIT_CONFIG;
    }
    RelayConfig config = loaded.get();
    byte[] key;
    try {
      DataDirectory dir = DataDirectory.inspect(config.dataDir());
      Optional<LocalDate> end = dir.transitionEnd();
      if (end.isPresent() && today().isBefore(end.get()) && !early) {
        err.println(
            "the rotation announced the old key until "
                + end.get()
                + " (UTC): clients that have not connected since may still hold only the old key;"
                + " retire on or after that date, or now with --early");
        return RelayMain.EXIT_CONFIG;
      }
      key = RelayKeyRotation.retire(dir);
    } catch (DataDirectory.DataDirectoryException | RelayStartupException e) {
      err.println("cannot retire the relay key: " + e.getMessage());
      return RelayMain.EXIT_START;
    }
    err.println(
        "old relay key deleted; restart the relay. Clients that still hold only the old key are"
            + " refused and need the relay address:");
    return printAddress(config, key);
  }

  private int printAddress(RelayConfig config, byte[] publicKey) {
    if (config.publicPort() == 0 && config.listenPort() == 0) {
      err.println("(listen.port is 0: run 'sealpost relay address' with public.port set)");
      return RelayMain.EXIT_OK;
    }
    try {
      out.println(RelayAddresses.forClients(config, publicKey, config.listenPort()));
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
    }
    return RelayMain.EXIT_OK;
  }

  private LocalDate today() {
    return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
  }

  private static Optional<String> take(List<String> args, String flag) {
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.startsWith(flag + "=")) {
        args.remove(i);
        return Optional.of(a.substring(flag.length() + 1));
      }
      if (a.equals(flag)) {
        if (i + 1 >= args.size()) {
          throw new IllegalArgumentException(flag + " needs a value");
        }
        args.remove(i);
        return Optional.of(args.remove(i));
      }
    }
    return Optional.empty();
  }
}
