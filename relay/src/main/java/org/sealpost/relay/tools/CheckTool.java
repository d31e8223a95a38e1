package org.sealpost.relay.tools;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.sealpost.proto.files.PrivateFiles;
import org.sealpost.relay.RelayAddresses;
import org.sealpost.relay.RelayMain;
import org.sealpost.relay.RelayStartupException;
import org.sealpost.relay.config.RelayConfig;
import org.sealpost.relay.crypto.RelayKeyRotation;
import org.sealpost.relay.crypto.RelayKeyStore;
import org.sealpost.relay.crypto.TlsCertificates;
import org.sealpost.relay.process.DataDirectory;

/**
 * {@code sealpost relay --check [--config FILE] [--<setting> VALUE ...]}: validates what a start
 * would validate, without starting and without writing anything: every setting, the data directory
 * (its marker, modes and format), the relay key against the marker, the store's files, and the TLS
 * certificate and key. It binds no port (a running relay holds them) and does not open the store (a
 * running relay holds its lock). Exit codes as for a start: 0 valid, 2 configuration error, 3 what
 * a start would refuse.
 */
public final class CheckTool extends RelayTool {
  public CheckTool(PrintStream out, PrintStream err) {
    super(out, err);
  }

  @Override
  public int run(List<String> args, Map<String, String> env) {
    Optional<RelayConfig> loaded = load(args, env);
    if (loaded.isEmpty()) {
      return RelayMain.EXIT_CONFIG;
    }
    RelayConfig config = loaded.get();
    out.println("configuration: ok");
    List<String> problems = new ArrayList<>();
    Path dataDir = config.dataDir();
    boolean initialised = isInitialised(dataDir);
    if (!initialised) {
      out.println(
          "data directory "
              + dataDir
              + ": absent or empty, initialised (with a new relay key) at first start");
    } else {
      checkDataDirectory(config, problems);
    }
    checkTls(config, initialised, problems);
    if (!problems.isEmpty()) {
      problems.forEach(p -> err.println("cannot start: " + p));
      return RelayMain.EXIT_START;
    }
    RelayAddresses.warning(config).ifPresent(w -> err.println("warning: " + w));
    out.println("ok: the relay would start with this configuration");
    return RelayMain.EXIT_OK;
  }

  private static boolean isInitialised(Path dir) {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (var entries = Files.list(dir)) {
      return entries.findAny().isPresent();
    } catch (IOException e) {
      return true; // unreadable: inspect() names the problem
    }
  }

  private void checkDataDirectory(RelayConfig config, List<String> problems) {
    DataDirectory dir;
    try {
      dir = DataDirectory.inspect(config.dataDir());
    } catch (DataDirectory.DataDirectoryException e) {
      problems.add(e.getMessage());
      return;
    }
    try {
      byte[] key = RelayKeyStore.publicKeyOf(dir);
      out.println("data directory " + config.dataDir() + ": ok");
      if (config.publicPort() != 0 || config.listenPort() != 0) {
        out.println(
            "relay address: " + RelayAddresses.forClients(config, key, config.listenPort()));
      }
    } catch (RelayStartupException e) {
      if (!config.initialiseDataDir()) {
        problems.add(e.getMessage());
      }
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
    // issue 12: an open key rotation needs its successor key file
    try {
      RelayKeyRotation.check(dir)
          .ifPresent(end -> out.println("relay key rotation: open until " + end + " (UTC)"));
    } catch (RelayStartupException e) {
      problems.add(e.getMessage());
    }
    Path store = config.dataDir().resolve("store");
    Path storeKey = config.dataDir().resolve("store.key");
    boolean hasStore = Files.exists(store, LinkOption.NOFOLLOW_LINKS);
    boolean hasKey = Files.exists(storeKey, LinkOption.NOFOLLOW_LINKS);
    if (hasStore != hasKey && !config.initialiseDataDir()) {
      problems.add(
          "store "
              + (hasStore
                  ? storeKey + " (the store's master key) is missing"
                  : store + " is missing")
              + ": restore it from a backup");
    }
    // the store's open restricts both to their owner (the mailbox's StoreDirectory), so modes an
    // earlier build left under umask 022 are no reason to refuse; the data directory's own mode is
    for (Path p : List.of(store, storeKey)) {
      try {
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !PrivateFiles.isOwnerOnly(p)) {
          out.println(
              p
                  + ": open to group or others ("
                  + PosixFilePermissions.toString(Files.getPosixFilePermissions(p))
                  + "); the relay restricts it to its owner when it opens the store");
        }
      } catch (IOException e) {
        problems.add(p + " cannot be read: " + e.getMessage());
      }
    }
  }

  private void checkTls(RelayConfig config, boolean initialised, List<String> problems) {
    if (!config.tlsEnabled()) {
      return;
    }
    Path cert;
    Path key;
    if (config.tlsCert().isPresent() && config.tlsKey().isPresent()) {
      cert = config.tlsCert().get();
      key = config.tlsKey().get();
    } else {
      cert = config.dataDir().resolve(TlsCertificates.CERT_FILE);
      key = config.dataDir().resolve(TlsCertificates.KEY_FILE);
      if (!initialised || !Files.exists(cert) || !Files.exists(key)) {
        out.println("TLS: a self-signed certificate is generated at start");
        return;
      }
    }
    try {
      TlsCertificates.validate(cert, key);
      out.println("TLS certificate " + cert + ": ok");
    } catch (RelayStartupException e) {
      problems.add(e.getMessage());
    }
  }
}
