package org.sealpost.cli;

import java.nio.file.Path;
import org.sealpost.client.Keystore;
import picocli.CommandLine.Option;

/** {@code --keystore FILE}, shared by the commands that use the local keystore. */
final class KeystoreOption {
  @Option(
      names = "--keystore",
      paramLabel = "FILE",
      description = "Keystore file (default: ~/.sealpost/keystore.json).")
  Path keystore;

  Path path() {
    return keystore != null ? keystore : Keystore.defaultPath();
  }

  Keystore open() {
    return Keystore.open(path());
  }
}
