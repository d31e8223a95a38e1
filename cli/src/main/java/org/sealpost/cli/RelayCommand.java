package org.sealpost.cli;

import java.util.ArrayList;
import java.util.List;
import org.sealpost.relay.RelayMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code sealpost relay}: runs the relay until SIGTERM/SIGINT. Every argument goes unchanged to the
 * relay's own entry point ({@link RelayMain}): {@code --config FILE}, {@code --<setting> VALUE},
 * {@code --help}; environment variables {@code SEALPOST_*} work as documented there.
 */
@Command(
    name = "relay",
    description =
        "Run a relay, or print its address (relay address); flags, config file and SEALPOST_*"
            + " variables: sealpost relay --help.")
final class RelayCommand implements Runnable {
  @Unmatched List<String> args = new ArrayList<>();

  @Override
  public void run() {
    RelayMain.main(args.toArray(new String[0])); // exits the process with the relay's code
  }
}
