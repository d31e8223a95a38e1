package org.sealpost.relay.delivery;

/**
 * The limits one session's delivery works within.
 *
 * @param envelopeSize E: a stored envelope of another size cannot be delivered on this relay
 * @param maxWindow unacknowledged pushes per subscription
 * @param maxQueuesPerSession queues one session may subscribe to or Get from
 * @param maxQueueMessages stored envelopes per queue (a full page may mean a full queue)
 * @param envelopesPerRead envelopes read from the store per push read
 * @param envelopeCredit envelope blocks a session may have read from the store and not yet written
 */
public record DeliveryLimits(
    int envelopeSize,
    int maxWindow,
    int maxQueuesPerSession,
    int maxQueueMessages,
    int envelopesPerRead,
    int envelopeCredit) {}
