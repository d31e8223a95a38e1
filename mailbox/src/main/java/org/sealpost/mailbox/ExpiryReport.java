package org.sealpost.mailbox;

/**
 * Aggregate outcome of one expiry sweep.
 *
 * @param envelopes envelopes deleted because their TTL passed
 * @param queues queues deleted because their recipient was idle too long
 */
public record ExpiryReport(long envelopes, long queues) {}
