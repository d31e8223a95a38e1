package org.sealpost.client;

/**
 * Which TLS implementation a {@link SealpostClient} speaks to relays with (issue 13). Both send
 * each block in exactly one TLS 1.3 record of B + 25 bytes (no record padding) and resume no
 * sessions, so the choice changes only the CPU a handshake and a record cost.
 */
public enum ClientTlsEngine {
  /** BoringSSL when netty-tcnative loads here, else {@link #BOUNCY_CASTLE}: the default. */
  AUTO,
  /**
   * BoringSSL through netty-tcnative ({@code io.netty:netty-tcnative-boringssl-static}, on the
   * class path of the {@code sealpost} command; an application adds it to use it). Connecting fails
   * when it does not load on this machine.
   */
  OPENSSL,
  /** Bouncy Castle's JSSE provider on the JDK's ciphers: pure Java, every platform. */
  BOUNCY_CASTLE
}
