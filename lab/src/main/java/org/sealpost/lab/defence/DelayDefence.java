package org.sealpost.lab.defence;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Delivery delay (issue 10): each stored envelope becomes deliverable after an independent
 * exponential delay with this mean, optionally capped ({@code delay:1s} or {@code delay:1s/5s}).
 */
public record DelayDefence(Duration mean, Duration max) implements Defence {
  @Override
  public String name() {
    return "delay:" + Defences.format(mean) + (max == null ? "" : "/" + Defences.format(max));
  }

  @Override
  public List<String> relayFlags() {
    List<String> flags = new ArrayList<>(List.of("--delivery-delay-mean", Defences.format(mean)));
    if (max != null) {
      flags.addAll(List.of("--delivery-delay-max", Defences.format(max)));
    }
    return flags;
  }

  @Override
  public Duration adversaryScale() {
    return mean;
  }

  @Override
  public String family() {
    return "delay";
  }
}
