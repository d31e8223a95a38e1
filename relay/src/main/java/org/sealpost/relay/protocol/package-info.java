/**
 * Protocol v1 on a relay connection (docs/protocol.md): the Noise NK handshake, block decoding,
 * command dispatch, batching of replies and pushes, subscriptions with a delivery window, and the
 * {@link org.sealpost.relay.protocol.ProtocolApplication} that {@code RelayMain} starts by default.
 * The commands themselves run behind {@link org.sealpost.relay.queue.QueueService}.
 */
package org.sealpost.relay.protocol;
