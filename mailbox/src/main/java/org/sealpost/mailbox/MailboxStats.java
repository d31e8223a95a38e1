package org.sealpost.mailbox;

/**
 * Aggregate figures only: nothing here describes a single queue.
 *
 * @param queues queues in the store
 * @param envelopes pending envelopes
 * @param envelopeBytes bytes of pending envelopes (as appended)
 * @param diskBytes bytes the storage engine uses on disk (estimate)
 */
public record MailboxStats(long queues, long envelopes, long envelopeBytes, long diskBytes) {}
