package org.sealpost.mailbox;

/**
 * Aggregate outcome of one expiry sweep.
 *
 * @param envelopes envelopes deleted because their TTL passed
 * @param queues queues deleted because their recipient was idle too long, or (issue 12) because
 *     they were never secured within the unsecured-queue TTL
 */
public record ExpiryReport(long envelopes, long queues) {}
