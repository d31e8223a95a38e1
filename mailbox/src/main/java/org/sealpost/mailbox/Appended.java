package org.sealpost.mailbox;

/**
 * Result of a durable append.
 *
 * @param messageId the envelope's random message ID
 * @param position the envelope's opaque position in its queue; positions grow with append order
 */
public record Appended(MessageId messageId, long position) {}
