package org.sealpost.lab.defence;

import java.time.Duration;
import java.util.List;

/**
 * The relay as shipped, no timing defence. The adversary's scale is the loopback path's own
 * latency: on 2 loaded cores a Send is stored (one WAL sync) and pushed within tens of milliseconds
 * (the measured median is in the report).
 */
public final class NoDefence implements Defence {
  static final Duration NETWORK_SCALE = Duration.ofMillis(20);

  @Override
  public String name() {
    return "none";
  }

  @Override
  public List<String> relayFlags() {
    return List.of();
  }

  @Override
  public Duration adversaryScale() {
    return NETWORK_SCALE;
  }

  @Override
  public double parameterSeconds() {
    return 0;
  }

  @Override
  public String family() {
    return "none";
  }
}
