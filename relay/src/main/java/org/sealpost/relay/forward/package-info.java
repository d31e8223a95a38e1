/**
 * Two-hop sending, the first relay's side (protocol §4.7, §9; issue 11): a small pool of
 * relay-to-relay sessions per destination relay, shared by every client's {@code Forward}, with
 * connect, handshake and reply deadlines and bounded queues. Nothing here sees more than a
 * destination address and opaque sealed bytes, and nothing here logs either.
 */
package org.sealpost.relay.forward;
