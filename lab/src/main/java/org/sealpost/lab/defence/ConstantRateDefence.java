package org.sealpost.lab.defence;

import java.time.Duration;
import java.util.List;

/**
 * Constant-rate sessions (issue 10): the relay sends one block every T on each subscribed session,
 * a push when one is due and cover otherwise ({@code constant-rate:200ms}).
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

  @Override
  public Duration adversaryScale() {
    return period;
  }

  @Override
  public String family() {
    return "constant-rate";
  }
}
