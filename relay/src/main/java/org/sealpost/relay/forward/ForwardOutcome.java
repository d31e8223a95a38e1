package org.sealpost.relay.forward;

/**
 * What the destination answered a {@code RelayForward}: its sealed reply (272 opaque bytes), which
 * the first relay passes to the client unchanged.
 */
public record ForwardOutcome(byte[] sealedReply) {}
