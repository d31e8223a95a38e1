package org.sealpost.lab.defence;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Timed batches (issue 10): deliveries released in rounds every T, optionally only once k are
 * waiting ({@code batch:2s} or {@code batch:2s/5}).
 */
public record BatchDefence(Duration interval, int minBatch) implements Defence {
  @Override
  public String name() {
    return "batch:" + Defences.format(interval) + (minBatch > 0 ? "/" + minBatch : "");
  }

  @Override
  public List<String> relayFlags() {
    List<String> flags =
        new ArrayList<>(List.of("--delivery-batch-interval", Defences.format(interval)));
    if (minBatch > 0) {
      flags.addAll(List.of("--delivery-batch-min", Integer.toString(minBatch)));
    }
    return flags;
  }

  @Override
  public Duration adversaryScale() {
    return interval;
  }

  @Override
  public String family() {
    return "batch";
  }
}
