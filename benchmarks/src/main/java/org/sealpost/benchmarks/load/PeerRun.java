package org.sealpost.benchmarks.load;

import java.util.List;

/**
 * Everything measured for one peer in one comparison run; workloads that were not run are null.
 *
 * @param extended W3/W4/W5 figures, for the systems that run them (Sealpost), else null
 * @param notes statements the report must carry (scaled-down parameters, caveats)
 * @param error why the run of this peer failed, or null
 */
public record PeerRun(
    PeerDescription peer,
    OnlineDelivery.Result w1,
    OfflineFillDrain.Result w2,
    List<StorageProbeResult> probe,
    Extended extended,
    List<String> notes,
    String error) {

  /**
   * W3, W4 and W5, and the blocks per message of W1 (from the relay's counters); a part that was
   * not run, or failed, is null.
   */
  public record Extended(
      ExtendedWorkloads.IdleConnections idleConnections,
      ExtendedWorkloads.IdleQueues idleQueues,
      ExtendedWorkloads.Resubscribe resubscribe,
      ExtendedWorkloads.ReconnectStorm reconnectStorm,
      Blocks w1Blocks) {}

  /** Blocks in (client → relay) and out per message pushed, over W1 as a whole. */
  public record Blocks(double in, double out) {}
}
