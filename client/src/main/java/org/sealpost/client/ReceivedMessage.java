package org.sealpost.client;

/**
 * One message taken from a mailbox, opened. The relay never saw the sender's identity key, the
 * content or its length: they travel inside the sealed envelope.
 *
 * @param mailbox the mailbox it arrived in
 * @param senderIdentity the sender's 32-byte identity public key, authenticated by the envelope
 * @param content the content, exactly as sent
 * @param envelopeId the sender-chosen 16-byte envelope ID (duplicates are already dropped)
 */
public record ReceivedMessage(
    Mailbox mailbox, byte[] senderIdentity, byte[] content, byte[] envelopeId) {}
