package org.sealpost.relay.config;

import java.util.Locale;
import java.util.Optional;

/** The TLS implementation of the listener ({@code tls.engine}). */
public enum TlsEngine {
  /** The JDK's own TLS 1.3 engine: records of B + 37 bytes (it pads each record with 16 bytes). */
  JDK,
  /**
   * BoringSSL through netty-tcnative (bundled for linux-x86_64 only): records of B + 26 bytes, no
   * padding. Needs the native library to load; the relay refuses to start if it does not.
   */
  OPENSSL,
  /**
   * The default (issue 13): BoringSSL where its native library loads, the JDK engine elsewhere.
   * BoringSSL costs the relay about half the CPU per TLS session (docs/benchmarks.md, W5).
   */
  AUTO;

  /** The setting's spelling. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The engine named {@code value} (case-insensitive), if there is one. */
  public static Optional<TlsEngine> parse(String value) {
    for (TlsEngine e : values()) {
      if (e.key().equalsIgnoreCase(value.trim())) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }
}
