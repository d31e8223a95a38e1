package org.sealpost.lab.defence;

import java.time.Duration;
import java.util.List;
import org.sealpost.client.ClientOptions;

/**
 * A timing defence as the lab runs it: the relay flags that switch it on, and the timing scale the
 * adversary is told (the relay's settings are public). To add a defence, implement this in one
 * class and parse it in {@link Defences}.
 */
public interface Defence {
  /** The name in reports and on the command line, e.g. {@code delay:1s}. */
  String name();

  /** Flags added to the relay's command line. */
  List<String> relayFlags();

  /** Client options the defence needs (e.g. constant-rate upstream); none by default. */
  default ClientOptions.Builder clientOptions(ClientOptions.Builder options) {
    return options;
  }

  /** The timing parameter an adversary uses as its delay scale. */
  Duration adversaryScale();

  /**
   * The defence's own x-value for plots (seconds of delay, batch interval or cover period; 0 for
   * none).
   */
  default double parameterSeconds() {
    return adversaryScale().toNanos() / 1e9;
  }

  /** The plot family: none, delay, batch, constant-rate. */
  String family();
}
