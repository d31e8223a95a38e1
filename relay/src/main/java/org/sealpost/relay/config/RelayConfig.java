package org.sealpost.relay.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.sealpost.proto.address.Transport;
import org.sealpost.proto.codec.BlockCodec;

/**
 * The relay's validated configuration. Build one with {@link RelayConfigLoader}: embedded defaults,
 * then a config file, then {@code SEALPOST_*} environment variables, then command-line flags, each
 * overriding the one before. {@link Setting} documents every field.
 *
 * @param dataDir directory holding the store, the relay key and the generated TLS files
 * @param initialiseDataDir whether missing pieces of an existing data directory may be created
 * @param listenHost address of the WebSocket listener
 * @param listenPort port of the WebSocket listener (0 = any free port)
 * @param publicHost host printed in the relay address
 * @param publicPort port printed in the relay address; 0 = the listener's port
 * @param publicTransport scheme printed in the relay address; empty = from {@code tlsEnabled}
 * @param adminHost address of the admin HTTP server (loopback unless explicitly allowed)
 * @param adminPort port of the admin HTTP server (0 = any free port)
 * @param adminAllowNonLoopback whether {@code adminHost} may be a non-loopback address
 * @param tlsEnabled TLS 1.3 on the listener; false means plain WebSocket
 * @param tlsCert configured PEM certificate chain; empty means a generated self-signed one
 * @param tlsKey configured PEM private key; present exactly when {@code tlsCert} is
 * @param tlsEngine the TLS implementation of the listener
 * @param blockSize B, the length of every WebSocket message in both directions
 * @param queueQuota maximum number of envelopes stored per queue
 * @param queueTtl an envelope not taken within this time is deleted
 * @param queueIdleExpiry a queue unused for this long is deleted
 * @param queueCreateBurst CreateQueue commands one connection may send at once
 * @param queueCreateRate CreateQueue commands per second per connection after the burst
 * @param pendingCacheMib MiB for the store's in-memory pending envelopes; 0 = off
 * @param deliveryWindow unacknowledged pushes allowed per subscription
 * @param handshakeDeadline a connection must complete its handshake within this time
 * @param idleTimeout a connection that sends nothing for this long is dropped
 * @param maxOutboundBlocks blocks waiting to be written to one connection before it is dropped
 * @param writeStallTimeout a connection whose output waits unwritable this long is dropped
 * @param bufferBudgetBytes bytes of blocks buffered for all connections together
 * @param maxOutstandingCommands commands in flight per connection before reading pauses
 * @param eventLoops event-loop threads, and listener verticle instances
 * @param createToken operator token required by CreateQueue, if any
 * @param shutdownGrace time allowed for in-flight work on shutdown
 * @param queueCreateRateGlobal CreateQueue commands per second for all connections together
 * @param storeMaxQueues queues the store may hold
 * @param storeMaxMib disk budget of the store in MiB; 0 = half the free space at start
 * @param forward two-hop sending (issue 11)
 * @param timing the timing defences (issue 10), {@link TimingSettings#OFF} by default
 * @param info the operator information page (issue 12)
 * @param pow proof of work for CreateQueue (issue 12), {@link PowSettings#OFF} by default
 * @param queueCreateMaxPerConnection queues one connection may create in all; 0 = no limit
 * @param queueUnsecuredExpiry a queue never secured is deleted this long after its creation; zero =
 *     it keeps to the idle expiry
 * @param maxHandshakes TLS handshakes in progress at once, relay-wide; 0 = no bound (issue 13)
 * @param coalesce how long a mostly empty block of replies may wait for company (issue 13)
 * @param cluster the cluster node settings (issue 14), {@link ClusterConfig#single()} by default
 */
public record RelayConfig(
    Path dataDir,
    boolean initialiseDataDir,
    String listenHost,
    int listenPort,
    String publicHost,
    // issue 12: public port and scheme
    int publicPort,
    Optional<Transport> publicTransport,
    String adminHost,
    int adminPort,
    boolean adminAllowNonLoopback,
    boolean tlsEnabled,
    Optional<Path> tlsCert,
    Optional<Path> tlsKey,
    TlsEngine tlsEngine,
    int blockSize,
    int queueQuota,
    Duration queueTtl,
    Duration queueIdleExpiry,
    int queueCreateBurst,
    double queueCreateRate,
    int pendingCacheMib,
    int deliveryWindow,
    Duration handshakeDeadline,
    Duration idleTimeout,
    int maxOutboundBlocks,
    Duration writeStallTimeout,
    long bufferBudgetBytes,
    int maxOutstandingCommands,
    int eventLoops,
    Optional<Secret> createToken,
    Duration shutdownGrace,
    double queueCreateRateGlobal,
    int storeMaxQueues,
    int storeMaxMib,
    // issue 11: two-hop sending
    ForwardSettings forward,
    // issue 10: timing defences
    TimingSettings timing,
    // issue 12: operator information page
    InfoPageSettings info,
    // issue 12: abuse control without identities
    PowSettings pow,
    int queueCreateMaxPerConnection,
    Duration queueUnsecuredExpiry,
    // issue 13: admission of TLS handshakes
    int maxHandshakes,
    Duration coalesce,
    // issue 14: relay cluster
    ClusterConfig cluster) {

  /**
   * The protocol's default block size B: one client block plus its 8-byte WebSocket header fills
   * one JDK TLS 1.3 record (16367 bytes of data), see docs/decisions.md.
   */
  public static final int DEFAULT_BLOCK_SIZE = BlockCodec.DEFAULT_BLOCK_SIZE;

  /** E = B - 512: room for the largest frame that carries an envelope (protocol §1). */
  public static final int ENVELOPE_OVERHEAD = 512;

  /** E, the sealed envelope size. */
  public int envelopeSize() {
    return blockSize - ENVELOPE_OVERHEAD;
  }

  // issue 12: what the relay address shows
  /**
   * The transport clients use: {@code public.scheme}, else TLS exactly when the listener has it.
   */
  public Transport addressTransport() {
    return publicTransport.orElse(tlsEnabled ? Transport.TLS : Transport.PLAIN);
  }

  /** The port clients use: {@code public.port}, else the listener's bound port. */
  public int addressPort(int boundPort) {
    return publicPort != 0 ? publicPort : boundPort;
  }

  /** The embedded defaults, without reading any file, environment or flag. */
  public static RelayConfig defaults() {
    return RelayConfigLoader.fromSettings(Map.of());
  }
}
