package org.sealpost.relay.tools;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.sealpost.relay.config.ConfigException;
import org.sealpost.relay.config.RelayConfig;
import org.sealpost.relay.config.RelayConfigLoader;

/**
 * What the operator commands share: their two streams and the configuration, loaded as a start
 * does.
 */
abstract class RelayTool {
  final PrintStream out;
  final PrintStream err;

  RelayTool(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /** Returns the exit code documented in {@link org.sealpost.relay.RelayMain}. */
  public abstract int run(List<String> args, Map<String, String> env);

  /** The configuration, or empty after printing every problem (exit code 2). */
  final Optional<RelayConfig> load(List<String> args, Map<String, String> env) {
    try {
      return Optional.of(RelayConfigLoader.load(args, env));
    } catch (ConfigException e) {
      err.println(e.getMessage());
      return Optional.empty();
    }
  }
}
