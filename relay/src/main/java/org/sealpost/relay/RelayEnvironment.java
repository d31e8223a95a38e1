package org.sealpost.relay;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.util.Optional;
import org.sealpost.proto.crypto.X25519KeyPair;
import org.sealpost.relay.config.RelayConfig;
import org.sealpost.relay.crypto.RelayKeySuccessor;

/**
 * What a {@link RelayApplication} gets at start.
 *
 * @param vertx the relay's Vert.x instance
 * @param config the validated configuration
 * @param relayKey the relay's static X25519 key (Noise NK responder key)
 * @param meterRegistry where the application registers its meters (names in {@code RelayMetrics})
 * @param mayCreateStore whether a missing store may be created: the data directory was fresh, or
 *     the operator asked to initialise it ({@code data-dir.initialise}); otherwise a store that is
 *     gone is refused rather than silently started empty
 * @param successor issue 12: the announced successor of the relay key during a key rotation
 */
public record RelayEnvironment(
    Vertx vertx,
    RelayConfig config,
    X25519KeyPair relayKey,
    MeterRegistry meterRegistry,
    boolean mayCreateStore,
    Optional<RelayKeySuccessor> successor) {

  /** An environment without a key rotation. */
  public RelayEnvironment(
      Vertx vertx,
      RelayConfig config,
      X25519KeyPair relayKey,
      MeterRegistry meterRegistry,
      boolean mayCreateStore) {
    this(vertx, config, relayKey, meterRegistry, mayCreateStore, Optional.empty());
  }

  /** An environment that may create its store (tests and tools on a directory of their own). */
  public RelayEnvironment(
      Vertx vertx, RelayConfig config, X25519KeyPair relayKey, MeterRegistry meterRegistry) {
    this(vertx, config, relayKey, meterRegistry, true);
  }
}
