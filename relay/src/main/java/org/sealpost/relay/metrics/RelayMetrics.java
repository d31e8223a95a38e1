package org.sealpost.relay.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.sealpost.relay.transport.CloseReason;

/**
 * Every relay metric name, and the meters of the connection layer. Names are lowercase and dotted;
 * tags come only from closed enums. Nothing here is per queue, per client or per address (DESIGN
 * §1, invariant 4).
 */
public final class RelayMetrics {
  /** Gauge: WebSocket connections currently open. */
  public static final String CONNECTIONS_OPEN = "sealpost.connections.open";

  /** Counter: WebSocket connections accepted on {@code /v1}. */
  public static final String CONNECTIONS_ACCEPTED = "sealpost.connections.accepted";

  /** Counter, tag {@value #TAG_REASON} ({@link CloseReason}): connections ended. */
  public static final String CONNECTIONS_CLOSED = "sealpost.connections.closed";

  /** Counter, tag {@value #TAG_REASON} ({@link UpgradeRejection}): HTTP requests refused. */
  public static final String UPGRADES_REJECTED = "sealpost.upgrades.rejected";

  /** Counter: blocks received. */
  public static final String BLOCKS_IN = "sealpost.blocks.in";

  /** Counter: blocks sent. */
  public static final String BLOCKS_OUT = "sealpost.blocks.out";

  /** Counter, tag {@value #TAG_OUTCOME} ({@link HandshakeOutcome}): handshakes by outcome. */
  public static final String HANDSHAKES = "sealpost.handshakes";

  /** Counter, tag {@value #TAG_CAUSE} ({@link PauseCause}): times reading from a socket paused. */
  public static final String READ_PAUSES = "sealpost.connections.read.pauses";

  /**
   * Gauge: bytes of blocks buffered for all connections together (see {@code
   * connection.buffer-budget}).
   */
  public static final String BUFFERED_BYTES = "sealpost.connections.buffered.bytes";

  /** Gauge: the most bytes ever buffered at once since start. */
  public static final String BUFFERED_PEAK_BYTES = "sealpost.connections.buffered.peak.bytes";

  /** Gauge: the buffer budget in bytes ({@code connection.buffer-budget}). */
  public static final String BUFFER_BUDGET_BYTES = "sealpost.connections.buffer.budget.bytes";

  // issue 13: admission of TLS handshakes (connection.max-handshakes)
  /** Gauge: connections accepted and in their TLS handshake, counted by the admission bound. */
  public static final String HANDSHAKES_IN_PROGRESS = "sealpost.connections.handshaking";

  /** Gauge: connections accepted but held until a handshake place frees. */
  public static final String HANDSHAKES_WAITING = "sealpost.connections.handshake.waiting";

  /** Gauge: queues bound to a session (see {@code SubscriptionRegistry#size()}). */
  public static final String SUBSCRIPTIONS_ACTIVE = "sealpost.subscriptions.active";

  /**
   * Counter, tags {@value #TAG_COMMAND} and {@value #TAG_OUTCOME} ({@code ok} or an error code):
   * protocol commands handled (registered by the protocol handler).
   */
  public static final String COMMANDS = "sealpost.commands";

  /** Counter, tag {@value #TAG_KIND} ({@code message}, {@code end}, {@code quota_reached}). */
  public static final String PUSHES = "sealpost.pushes";

  /** Counter, tag {@value #TAG_DIRECTION} ({@code in}, {@code out}): frame bytes in blocks. */
  public static final String BLOCK_PAYLOAD_BYTES = "sealpost.blocks.payload.bytes";

  /**
   * Counter: unexpected failures inside the store (bugs), each answered as a store error and logged
   * by exception class (see {@code MailboxStore#internalErrors()}).
   */
  public static final String STORE_INTERNAL_ERRORS = "sealpost.store.internal.errors";

  // issue 12: operator metrics (registered by OperatorMetrics)
  /** Gauge: queues in the store (the store's own count, refreshed every few seconds). */
  public static final String STORE_QUEUES = "sealpost.store.queues";

  /** Gauge: envelopes waiting in the store, all queues together. */
  public static final String STORE_ENVELOPES = "sealpost.store.envelopes";

  /** Gauge: bytes the store uses on disk (SST and WAL files; RocksDB's estimate). */
  public static final String STORE_DISK_BYTES = "sealpost.store.disk.bytes";

  /** Gauge: bytes free for the relay on the file system of the data directory. */
  public static final String DATA_DISK_FREE_BYTES = "sealpost.data.disk.free.bytes";

  /** Gauge: size in bytes of the file system of the data directory. */
  public static final String DATA_DISK_SIZE_BYTES = "sealpost.data.disk.size.bytes";

  /** Timer (histogram): time of each durable store commit, WAL write and fsync. */
  public static final String STORE_COMMIT = "sealpost.store.commit";

  /** Gauge, always 1, tag {@code version}: the relay's version. */
  public static final String BUILD_INFO = "sealpost.build.info";

  /** Gauge: resident set size of the relay process (Linux, from {@code /proc/self/status}). */
  public static final String PROCESS_RSS = "process.memory.rss";

  public static final String TAG_REASON = "reason";
  public static final String TAG_OUTCOME = "outcome";
  public static final String TAG_CAUSE = "cause";
  public static final String TAG_COMMAND = "command";
  public static final String TAG_KIND = "kind";
  public static final String TAG_DIRECTION = "direction";

  private final MeterRegistry registry;
  private final AtomicInteger open = new AtomicInteger();
  private final Counter accepted;
  private final Counter blocksIn;
  private final Counter blocksOut;
  private final Map<CloseReason, Counter> closed = new EnumMap<>(CloseReason.class);
  private final Map<HandshakeOutcome, Counter> handshakes = new EnumMap<>(HandshakeOutcome.class);
  private final Map<UpgradeRejection, Counter> rejected = new EnumMap<>(UpgradeRejection.class);
  private final Map<PauseCause, Counter> pauses = new EnumMap<>(PauseCause.class);

  /** Registers every meter up front, so each one is exported (as 0) before it first counts. */
  public RelayMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder(CONNECTIONS_OPEN, open, AtomicInteger::get)
        .description("WebSocket connections currently open")
        .register(registry);
    accepted =
        Counter.builder(CONNECTIONS_ACCEPTED)
            .description("WebSocket connections accepted")
            .register(registry);
    blocksIn = Counter.builder(BLOCKS_IN).description("Blocks received").register(registry);
    blocksOut = Counter.builder(BLOCKS_OUT).description("Blocks sent").register(registry);
    for (CloseReason r : CloseReason.values()) {
      closed.put(
          r,
          Counter.builder(CONNECTIONS_CLOSED)
              .description("Connections ended, by reason")
              .tag(TAG_REASON, r.tag())
              .register(registry));
    }
    for (HandshakeOutcome o : HandshakeOutcome.values()) {
      handshakes.put(
          o,
          Counter.builder(HANDSHAKES)
              .description("Session handshakes, by outcome")
              .tag(TAG_OUTCOME, o.tag())
              .register(registry));
    }
    for (UpgradeRejection r : UpgradeRejection.values()) {
      rejected.put(
          r,
          Counter.builder(UPGRADES_REJECTED)
              .description("HTTP requests refused before a WebSocket was accepted")
              .tag(TAG_REASON, r.tag())
              .register(registry));
    }
    for (PauseCause c : PauseCause.values()) {
      pauses.put(
          c,
          Counter.builder(READ_PAUSES)
              .description("Times reading from a connection paused, by cause")
              .tag(TAG_CAUSE, c.tag())
              .register(registry));
    }
  }

  /** The registry these meters live in. */
  public MeterRegistry registry() {
    return registry;
  }

  /** Exports the subscription registry's size as {@value #SUBSCRIPTIONS_ACTIVE}. */
  public void registerSubscriptions(Supplier<Number> activeSubscriptions) {
    Gauge.builder(SUBSCRIPTIONS_ACTIVE, activeSubscriptions)
        .description("Queues bound to a session")
        .register(registry);
  }

  /**
   * Exports the store's count of unexpected failures as {@value #STORE_INTERNAL_ERRORS}, e.g.
   * {@code registerStoreInternalErrors(registry, store::internalErrors)}.
   */
  public static void registerStoreInternalErrors(MeterRegistry registry, LongSupplier count) {
    FunctionCounter.builder(STORE_INTERNAL_ERRORS, count, c -> c.getAsLong())
        .description("Unexpected failures inside the store (bugs), logged by exception class")
        .register(registry);
  }

  /** Exports the process-wide buffer accounting. */
  public void registerBuffers(
      Supplier<Number> used, Supplier<Number> peak, Supplier<Number> budget) {
    Gauge.builder(BUFFERED_BYTES, used)
        .description("Bytes of blocks buffered for all connections")
        .baseUnit("bytes")
        .register(registry);
    Gauge.builder(BUFFERED_PEAK_BYTES, peak)
        .description("Most bytes of blocks buffered at once since start")
        .baseUnit("bytes")
        .register(registry);
    Gauge.builder(BUFFER_BUDGET_BYTES, budget)
        .description("Budget for bytes buffered for all connections")
        .baseUnit("bytes")
        .register(registry);
  }

  // issue 13: admission of TLS handshakes
  public void registerAdmission(Supplier<Number> inProgress, Supplier<Number> waiting) {
    Gauge.builder(HANDSHAKES_IN_PROGRESS, inProgress)
        .description(
            "Connections in their TLS handshake (counted when connection.max-handshakes > 0)")
        .register(registry);
    Gauge.builder(HANDSHAKES_WAITING, waiting)
        .description("Accepted connections held until a handshake place frees")
        .register(registry);
  }

  public void connectionOpened() {
    accepted.increment();
    open.incrementAndGet();
  }

  public void connectionClosed(CloseReason reason) {
    open.decrementAndGet();
    closed.get(reason).increment();
  }

  public void handshake(HandshakeOutcome outcome) {
    handshakes.get(outcome).increment();
  }

  public void upgradeRejected(UpgradeRejection reason) {
    rejected.get(reason).increment();
  }

  public void readPaused(PauseCause cause) {
    pauses.get(cause).increment();
  }

  public void blockIn() {
    blocksIn.increment();
  }

  public void blockOut() {
    blocksOut.increment();
  }

  /** Current number of open connections. */
  public int openConnections() {
    return open.get();
  }
}
