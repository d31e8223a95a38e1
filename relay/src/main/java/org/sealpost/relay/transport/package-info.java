/**
 * The relay's listener: TLS 1.3, the WebSocket upgrade, one TLS record per block, and the
 * per-connection shell ({@link org.sealpost.relay.transport.ConnectionShell}: explicit states,
 * deadlines, back-pressure). It moves fixed-size blocks between the socket and a {@link
 * org.sealpost.relay.transport.SessionHandler}; it knows nothing of commands. Every touch of
 * Vert.x-internal API is in {@link org.sealpost.relay.transport.VertxInternals}.
 */
package org.sealpost.relay.transport;
