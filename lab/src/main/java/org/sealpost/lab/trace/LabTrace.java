package org.sealpost.lab.trace;

import java.util.List;

/**
 * Everything one run produced: the two adversary views and, apart, the ground truth. Attacks get
 * the views; only the scorer reads {@link #truth()}.
 *
 * @param operator {@code null} when the relay ran without the lab's operator recorder
 */
public record LabTrace(
    int users, ObserverTrace observer, OperatorTrace operator, List<Message> truth) {}
