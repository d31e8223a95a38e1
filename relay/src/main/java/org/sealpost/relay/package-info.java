/**
 * The relay process as a library: {@link org.sealpost.relay.RelayServer} starts a relay inside a
 * given Vert.x, {@link org.sealpost.relay.EmbeddedRelay} with a Vert.x of its own (the one
 * bootstrap of the {@code sealpost relay} command, the demo and the tests), {@link
 * org.sealpost.relay.RelayMain} is the command. The packages below are grouped by role:
 *
 * <ul>
 *   <li>{@code transport}: the listener, TLS, WebSocket and the per-connection shell (states,
 *       deadlines, back-pressure); knows blocks, not commands.
 *   <li>{@code protocol}: the Noise handshake and protocol v1 on one session.
 *   <li>{@code delivery}: subscriptions, the delivery window and pushes.
 *   <li>{@code queue}: the command path, "execute this command for this queue" (DESIGN §7).
 *   <li>{@code process}: what a process needs around the relay: signals, log and core-dump guards,
 *       private files.
 *   <li>{@code config}, {@code metrics}, {@code admin}, {@code crypto}: settings, aggregate
 *       counters, the loopback admin server, the relay's key and certificate files.
 * </ul>
 */
package org.sealpost.relay;
