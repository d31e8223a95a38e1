package org.sealpost.relay;

/** The closed set of reasons the relay refuses to start. */
public enum StartupError {
  /** The data directory cannot be created, or is open to group or others. */
  DATA_DIR,
  /** The relay key file cannot be read, parsed or written, or is open to group or others. */
  RELAY_KEY,
  /** The TLS certificate or key cannot be read, generated or used. */
  TLS,
  /** The WebSocket listener cannot bind. */
  LISTEN,
  /** The admin HTTP server cannot bind. */
  ADMIN_LISTEN,
  /** The plugged-in relay application (command handling, store) failed to start. */
  APPLICATION,
  /** No relay application was found on the class path. */
  NO_APPLICATION,
  /** The relay's own Noise handshake failed before listening ({@code CryptoWarmup}). */
  CRYPTO_SELF_TEST
}
