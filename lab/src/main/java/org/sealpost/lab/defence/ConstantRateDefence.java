package org.sealpost.lab.defence;

import java.time.Duration;
import java.util.List;
import org.sealpost.client.ClientOptions;

/**
 * Constant-rate sessions (issue 10): the relay sends one block every T on each subscribed session,
 * a push when one is due and cover otherwise, and the lab's clients do the same upstream ({@code
 * constant-rate:200ms}).
 */
public record ConstantRateDefence(Duration period) implements Defence {
  @Override
  public String name() {
    return "constant-rate:" + Defences.format(period);
  }

  @Override
  public List<String> relayFlags() {
    return List.of("--session-constant-rate", Defences.format(period));
  }

  /** The client library sends one block every T upstream too (its cover interval). */
  @Override
  public ClientOptions.Builder clientOptions(ClientOptions.Builder options) {
    return options.coverInterval(period);
  }

  @Override
  public Duration adversaryScale() {
    return period;
  }

  @Override
  public String family() {
    return "constant-rate";
  }
}
