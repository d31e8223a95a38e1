package org.sealpost.client;

/**
 * issue 11: how the convenience methods of {@link SealpostClient} spread a user's mailboxes over
 * sessions (DESIGN §7b). A relay links every queue used on one session (same Noise session, same IP
 * address and port, same timing); separate sessions keep that link from it, except what the IP
 * address and timing still give away (use two-hop receive, or different networks, for those).
 *
 * <p>Cost of isolation: one TCP + TLS + WebSocket connection and one Noise handshake (two X25519
 * operations on each side) per session, plus that session's keepalive pings, its reconnects and its
 * buffers (a few blocks of B bytes in the client, and one of the relay's connection slots).
 */
public enum Isolation {
  /**
   * Every mailbox gets a session of its own for recipient operations (create, secure, subscribe,
   * get, delete), unless {@link SealpostClient#group} puts it in a named contact group, whose
   * mailboxes share one session per relay. The default.
   */
  PER_MAILBOX,
  /**
   * One shared session per relay for every mailbox and every send: fewest connections, and the
   * relay can tell that all mailboxes on it belong together.
   */
  PER_RELAY
}
