package org.sealpost.relay.tools;

import java.io.PrintStream;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.sealpost.relay.RelayAddresses;
import org.sealpost.relay.RelayMain;
import org.sealpost.relay.RelayStartupException;
import org.sealpost.relay.config.RelayConfig;
import org.sealpost.relay.config.Setting;
import org.sealpost.relay.crypto.RelayKeyStore;
import org.sealpost.relay.process.DataDirectory;

/**
 * {@code sealpost relay address [--config FILE] [--<setting> VALUE ...]}: prints the relay address
 * of an initialised data directory under a configuration, without starting a relay and without
 * writing anything, so an operator can read it again at any time (not only from the start-up lines
 * in the journal). Only the address goes to stdout, for scripts.
 */
public final class AddressTool extends RelayTool {
  public AddressTool(PrintStream out, PrintStream err) {
    super(out, err);
  }

  /** Returns the exit code: 0, 2 (configuration), 3 (data directory or relay key). */
  @Override
  public int run(List<String> args, Map<String, String> env) {
    if (args.contains("--help") || args.contains("-h")) {
      out.println("Usage: sealpost relay address [--config FILE] [--<setting> VALUE ...]");
      out.println("Prints the relay address of the data directory under this configuration");
      out.println(
          "(public-host, public.port, public.scheme, block-size) without starting a relay.");
      return RelayMain.EXIT_OK;
    }
    Optional<RelayConfig> loaded = load(args, env);
    if (loaded.isEmpty()) {
      return RelayMain.EXIT_CONFIG;
    }
    RelayConfig config = loaded.get();
    if (config.publicPort() == 0 && config.listenPort() == 0) {
      err.println(
          Setting.LISTEN_PORT.key()
              + " is 0 (any free port): the port is known only while the relay runs; set "
              + Setting.PUBLIC_PORT.key());
      return RelayMain.EXIT_CONFIG;
    }
    byte[] publicKey;
    try {
      publicKey = RelayKeyStore.publicKeyOf(DataDirectory.inspect(config.dataDir()));
    } catch (DataDirectory.DataDirectoryException | RelayStartupException e) {
      err.println("cannot read the relay key: " + e.getMessage());
      return RelayMain.EXIT_START;
    }
    String address;
    try {
      address = RelayAddresses.forClients(config, publicKey, config.listenPort());
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return RelayMain.EXIT_CONFIG;
    }
    RelayAddresses.warning(config).ifPresent(w -> err.println("warning: " + w));
    rotationNote(config);
    out.println(address);
    return RelayMain.EXIT_OK;
  }

  // issue 12: during a key rotation the address printed is still the current key's
  private void rotationNote(RelayConfig config) {
    DataDirectory dir = DataDirectory.inspect(config.dataDir());
    dir.successorPublicKey()
        .ifPresent(
            key ->
                err.println(
                    "note: a key rotation is open until "
                        + dir.transitionEnd().map(Object::toString).orElse("?")
                        + " (UTC); the successor's address: "
                        + RelayAddresses.forClients(
                            config, Base64.getUrlDecoder().decode(key), config.listenPort())));
  }
}
