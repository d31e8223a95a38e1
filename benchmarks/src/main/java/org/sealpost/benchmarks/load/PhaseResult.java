package org.sealpost.benchmarks.load;

/**
 * Outcome of one timed phase of a workload.
 *
 * @param name phase name, e.g. {@code closed-loop}
 * @param targetRate scheduled messages/s of an open-loop phase, 0 for closed loop
 * @param sent messages handed to the peer
 * @param accepted sends the peer accepted
 * @param sendFailures sends the peer refused or that failed
 * @param delivered distinct messages delivered
 * @param duplicates deliveries of a message already delivered
 * @param seconds phase duration (start to last delivery, or to last acceptance for a fill)
 * @param messagesPerSecond delivered (or, for a fill, accepted) messages per second
 * @param latencyCorrected send→deliver latency from the intended send time, or null
 * @param latencyUncorrected send→deliver latency from the real send time, or null
 * @param usage resources used by the peer and the load generator
 * @param complete whether everything accepted was delivered before the timeout
 */
public record PhaseResult(
    String name,
    double targetRate,
    long sent,
    long accepted,
    long sendFailures,
    long delivered,
    long duplicates,
    double seconds,
    double messagesPerSecond,
    LatencyRecorder.Summary latencyCorrected,
    LatencyRecorder.Summary latencyUncorrected,
    ResourceSampler.Usage usage,
    boolean complete) {

  /** Peer CPU microseconds per delivered (or accepted, for a fill) message. */
  public double peerCpuMicrosPerMessage() {
    long n = delivered > 0 ? delivered : accepted;
    return n == 0 ? 0 : usage.peerCpuSeconds() * 1e6 / n;
  }

  /** Load-generator CPU microseconds per message. */
  public double loadGeneratorCpuMicrosPerMessage() {
    long n = delivered > 0 ? delivered : accepted;
    return n == 0 ? 0 : usage.loadGeneratorCpuSeconds() * 1e6 / n;
  }
}
