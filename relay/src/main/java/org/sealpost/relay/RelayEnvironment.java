package org.sealpost.relay;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import org.sealpost.relay.config.RelayConfig;
import org.sealpost.relay.crypto.RelayStaticKey;

/**
 * What a {@link RelayApplication} gets at start.
 *
 * @param vertx the relay's Vert.x instance
 * @param config the validated configuration
 * @param relayKey the relay's static X25519 key (Noise NK responder key)
 * @param meterRegistry where the application registers its meters (names in {@code RelayMetrics})
 */
public record RelayEnvironment(
    Vertx vertx, RelayConfig config, RelayStaticKey relayKey, MeterRegistry meterRegistry) {}
