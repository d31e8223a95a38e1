package org.sealpost.lab.attack;

import org.sealpost.lab.trace.ObserverTrace;
import org.sealpost.lab.trace.OperatorTrace;

/**
 * What an attack may use: the adversary views, never the ground truth.
 *
 * @param delayScaleMicros the defence's published timing parameter (delay mean, batch interval,
 *     cover rate), or the network's own latency scale without a defence: the adversary knows the
 *     relay's settings (Kerckhoffs)
 * @param operator {@code null} when the run had no operator recorder
 */
public record AttackInput(
    int users, ObserverTrace observer, OperatorTrace operator, long delayScaleMicros) {}
