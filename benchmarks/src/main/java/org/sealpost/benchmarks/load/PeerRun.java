package org.sealpost.benchmarks.load;

import java.util.List;

/**
 * Everything measured for one peer in one comparison run; workloads that were not run are null.
 *
 * @param notes statements the report must carry (scaled-down parameters, caveats)
 * @param error why the run of this peer failed, or null
 */
public record PeerRun(
    PeerDescription peer,
    OnlineDelivery.Result w1,
    OfflineFillDrain.Result w2,
    List<StorageProbeResult> probe,
    List<String> notes,
    String error) {}
