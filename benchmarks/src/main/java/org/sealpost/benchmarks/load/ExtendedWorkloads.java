package org.sealpost.benchmarks.load;

/**
 * Hook for the Sealpost-specific workloads W3 (idle connections and idle stored queues: memory per
 * connection and per queue) and W4 (one client resubscribing many queues). A driver that can run
 * them implements this interface next to {@link PeerDriver}; the harness runs W3/W4 only for such
 * drivers and reports "not applicable" for the others. The peers (NATS, Postfix+Dovecot, Prosody)
 * do not implement it.
 */
public interface ExtendedWorkloads {

  /**
   * W3: opens {@code connections} subscribed idle recipient sessions and stores {@code queues} idle
   * queues, then returns the measured footprint.
   */
  IdleFootprint idle(int connections, int queues, ResourceSampler sampler) throws Exception;

  /** W4: one client holding {@code queues} queues reconnects and subscribes all of them. */
  long resubscribeNanos(int queues) throws Exception;

  /** Result of W3, bytes counted from RSS and JVM native memory, not heap alone. */
  record IdleFootprint(long bytesPerConnection, long bytesPerQueue, String jvmFlags) {}
}
