package org.sealpost.lab.trace;

import java.util.List;

/**
 * The relay operator's view, already resolved to user addresses: who sent into which queue and
 * when, and which address holds (creates or subscribes) each queue. The operator's connection
 * numbers are resolved to addresses by the lab (standing in for the source IP the operator sees;
 * see {@code docs/leakage-lab.md}).
 *
 * @param sends every Send the relay handled: time, the sending address, the queue it went into
 * @param holders for each queue (index), the address that created or subscribed it, or -1
 */
public record OperatorTrace(List<Send> sends, int[] holders) {
  /** A Send seen by the operator: queue is an index into {@link #holders()}. */
  public record Send(long atMicros, int fromUser, int queue) {}
}
