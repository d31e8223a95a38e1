package org.sealpost.relay.config;

import java.util.Locale;
import java.util.Optional;

/**
 * Every relay setting, its embedded default and its documentation. The config file key, the
 * environment variable and the command-line flag are all derived from {@link #key()}: {@code
 * listen.port} is {@code SEALPOST_LISTEN_PORT} and {@code --listen-port}.
 */
public enum Setting {
  DATA_DIR("data-dir", "./sealpost-data", false, "Directory for the store, the relay key and TLS."),
  DATA_DIR_INITIALISE(
      "data-dir.initialise",
      "false",
      false,
      "Create what is missing in an existing data directory (a new relay key: every address"
          + " changes). An empty or absent directory is initialised without it."),
  LISTEN_HOST("listen.host", "0.0.0.0", false, "Address the WebSocket listener binds to."),
  LISTEN_PORT("listen.port", "8443", false, "Port of the WebSocket listener (0 = any free port)."),
  PUBLIC_HOST(
      "public-host", "localhost", false, "Host name printed in the relay address for clients."),
  // issue 12: the address clients use behind a proxy (port and scheme of the proxy, not ours)
  PUBLIC_PORT(
      "public.port",
      "",
      false,
      "Port printed in the relay address (a proxy's or a port forward's); empty = listen.port."),
  PUBLIC_SCHEME(
      "public.scheme",
      "",
      false,
      "Scheme of the relay address: sealpost (TLS) or sealpost+ws (plain WebSocket, e.g. an onion"
          + " service); empty = from tls.enabled. Behind a TLS-terminating proxy: sealpost."),
  ADMIN_HOST("admin.host", "127.0.0.1", false, "Address of the admin HTTP server (loopback)."),
  ADMIN_PORT("admin.port", "9464", false, "Port of the admin HTTP server (0 = any free port)."),
  ADMIN_ALLOW_NON_LOOPBACK(
      "admin.allow-non-loopback",
      "false",
      false,
      "Allow admin.host to be a non-loopback address (metrics become reachable from outside)."),
  TLS_ENABLED(
      "tls.enabled",
      "true",
      false,
      "TLS 1.3 on the listener; false = plain WebSocket (onion service, TLS-terminating proxy)."),
  TLS_CERT(
      "tls.cert",
      "",
      false,
      "PEM certificate chain; empty = a self-signed certificate generated in data-dir."),
  TLS_KEY("tls.key", "", false, "PEM private key (PKCS#8) of tls.cert; set both or neither."),
  TLS_ENGINE(
      "tls.engine",
      "auto",
      false,
      "TLS implementation: auto (BoringSSL where its native library loads, else the JDK's), jdk,"
          + " or openssl (BoringSSL via netty-tcnative, linux-x86_64 only; refuses to start"
          + " without it)."),
  BLOCK_SIZE(
      "block-size", "16359", false, "B: the size of every WebSocket message, 1024..65535 bytes."),
  QUEUE_QUOTA("queue.quota", "128", false, "Maximum number of envelopes stored per queue."),
  QUEUE_TTL("queue.ttl", "21d", false, "An envelope not taken within this time is deleted."),
  QUEUE_IDLE_EXPIRY(
      "queue.idle-expiry", "90d", false, "A queue unused for this long is deleted with its data."),
  // CreateQueue is the only command that costs the relay public-key work (an X25519 key pair and
  // a DH per queue), so each connection gets a small burst and then a slow rate.
  QUEUE_CREATE_BURST(
      "queue.create-burst",
      "16",
      false,
      "CreateQueue commands one connection may send at once before queue.create-rate applies."),
  QUEUE_CREATE_RATE(
      "queue.create-rate",
      "2",
      false,
      "CreateQueue commands per second per connection after the burst (decimals allowed, e.g."
          + " 0.5)."),
  // Relay-wide budgets (issue 17.2): the per-connection limits alone are bypassed by reconnecting.
  QUEUE_CREATE_RATE_GLOBAL(
      "queue.create-rate-global",
      "10",
      false,
      "CreateQueue commands per second for all connections together; up to ten seconds of it may"
          + " come at once (decimals allowed)."),
  // issue 12: proof of work for CreateQueue (protocol §4.3), abuse control without identities
  QUEUE_POW(
      "queue.pow",
      "off",
      false,
      "Proof of work for CreateQueue: off, always, or under-load (new sessions need it while"
          + " CreateQueue load is at or above queue.pow-load)."),
  QUEUE_POW_BITS(
      "queue.pow-bits",
      "20",
      false,
      "Difficulty of that proof: a client hashes 2^bits times on average (1..32; 20 is about a"
          + " second of one core, each bit doubles it)."),
  QUEUE_POW_LOAD(
      "queue.pow-load",
      "5",
      false,
      "Under queue.pow=under-load: CreateQueue commands per second, relay-wide over the last ten"
          + " seconds, from which new sessions need the proof (decimals allowed)."),
  QUEUE_CREATE_MAX_PER_CONNECTION(
      "queue.create-max-per-connection",
      "0",
      false,
      "CreateQueue commands one connection may have carried out in all; beyond it CreateQueue is"
          + " refused with PROHIBITED (0 = no limit beyond queue.create-rate)."),
  QUEUE_UNSECURED_EXPIRY(
      "queue.unsecured-expiry",
      "0",
      false,
      "A queue never secured with a send token is deleted this long after its creation (at least"
          + " 1h; 0 = it keeps to queue.idle-expiry like any other)."),
  STORE_MAX_QUEUES(
      "store.max-queues",
      "2000000",
      false,
      "Queues the store may hold; beyond it CreateQueue is refused with QUOTA."),
  STORE_MAX_MIB(
      "store.max-mib",
      "0",
      false,
      "Disk budget of the store in MiB; beyond it Send is refused with QUOTA. 0 = half of the free"
          + " disk space at start."),
  QUEUE_PENDING_CACHE(
      "queue.pending-cache-mib",
      "32",
      false,
      "MiB of memory for the pending envelopes of queues being read, so that subscribers that keep"
          + " up are served without a disk read; 0 turns it off."),
  DELIVERY_WINDOW(
      "delivery.window", "16", false, "Unacknowledged pushes allowed per subscription."),
  // issue 10: timing defences (DESIGN §5), off by default; see docs/threat-model.md
  DELIVERY_DELAY_MEAN(
      "delivery.delay-mean",
      "0",
      false,
      "Mean of the random (exponential) delay before a stored envelope may be delivered, so"
          + " delivery order no longer follows send order (e.g. 1s); 0 = off."),
  DELIVERY_DELAY_MAX(
      "delivery.delay-max",
      "",
      false,
      "Cap on that random delay (e.g. 10s); empty = no cap. Needs delivery.delay-mean."),
  DELIVERY_BATCH_INTERVAL(
      "delivery.batch-interval",
      "0",
      false,
      "Timed batches: deliveries are released in rounds every this long (e.g. 2s); 0 = off."),
  DELIVERY_BATCH_MIN(
      "delivery.batch-min",
      "1",
      false,
      "A round releases only if at least this many envelopes were stored since the last one."),
  SESSION_CONSTANT_RATE(
      "session.constant-rate",
      "0",
      false,
      "Constant-rate sessions: once a session subscribes, the relay sends it exactly one block"
          + " every this long (e.g. 200ms), a cover block when nothing is due; 0 = off."),
  HANDSHAKE_DEADLINE(
      "connection.handshake-deadline",
      "10s",
      false,
      "A connection that has not completed its handshake within this time is dropped."),
  IDLE_TIMEOUT(
      "connection.idle-timeout",
      "5m",
      false,
      "A connection that sends no block for this long is dropped."),
  MAX_OUTBOUND_BLOCKS(
      "connection.max-outbound-blocks",
      "32",
      false,
      "Blocks waiting to be written to one connection; reading pauses at half, a reader that"
          + " falls further behind is dropped."),
  WRITE_STALL_TIMEOUT(
      "connection.write-stall-timeout",
      "30s",
      false,
      "A connection whose output has waited, unwritable, for this long is dropped, whatever the"
          + " client still sends."),
  BUFFER_BUDGET(
      "connection.buffer-budget",
      "",
      false,
      "Bytes of blocks buffered for all connections together (e.g. 256m); reading pauses near it"
          + " and the connections with the most unsent output are cut. Empty = a quarter of the"
          + " maximum heap."),
  MAX_OUTSTANDING_COMMANDS(
      "connection.max-outstanding-commands",
      "512",
      false,
      "Commands in flight per connection; the relay stops reading from the socket at this bound."),
  EVENT_LOOPS(
      "event-loops",
      "",
      false,
      "Event-loop threads and listener instances; empty = the number of CPU cores."),
  CREATE_TOKEN(
      "create-token",
      "",
      true,
      "Optional operator token that CreateQueue must present (at least 16 characters)."),
  SHUTDOWN_GRACE(
      "shutdown.grace",
      "10s",
      false,
      "On SIGTERM: time allowed for in-flight commands to finish before connections are cut."),
  // issue 12: the operator information page at / on the listener (plain text, shown escaped)
  INFO_ENABLED(
      "info.enabled",
      "true",
      false,
      "Serve the operator information page (policy, limits, address with QR code) at / on the"
          + " listener; false answers / with 404 like any other path."),
  INFO_NAME("info.name", "", false, "Name of this relay on the page; empty = public-host."),
  INFO_OPERATOR("info.operator", "", false, "Who runs this relay (a person or organisation)."),
  INFO_CONTACT(
      "info.contact",
      "",
      false,
      "How to reach the operator (e-mail address or URL), shown as text."),
  INFO_POLICY(
      "info.policy",
      "",
      false,
      "Your usage policy in one paragraph (who may use the relay, what is refused); a long value"
          + " may continue on the next line after a backslash."),
  INFO_SOURCE(
      "info.source",
      "",
      false,
      "Where the source code of the running version can be had (URL), shown with the version."),
  // issue 13: admission of TLS handshakes, so a reconnect storm does not collapse
  MAX_HANDSHAKES(
      "connection.max-handshakes",
      "",
      false,
      "TLS handshakes in progress at once, all connections together; the rest wait in the"
          + " kernel's accept queue. Empty = 256 per event loop; 0 = no bound."),
  // issue 13: small replies (Ok, Error, Pong) wait a bounded time for company in one block
  SESSION_COALESCE(
      "session.coalesce",
      "20ms",
      false,
      "How long a block that is mostly padding (small replies such as Ok, never an envelope) may"
          + " wait for more replies while other commands of the session are in flight (at most"
          + " 1s); 0 = at the end of each task. Constant-rate sessions send on their own clock."),
  // issue 11: two-hop sending (protocol §4.7, §9). The relay opens connections to addresses its
  // clients name, so every bound below keeps it from becoming an amplifier or a port scanner.
  FORWARD_ENABLED(
      "forward.enabled",
      "true",
      false,
      "Accept Forward (pass clients' sealed requests to other relays) and RelayForward (execute"
          + " requests other relays pass on); false answers both PROHIBITED."),
  FORWARD_PRIVATE_DESTINATIONS(
      "forward.private-destinations",
      "false",
      false,
      "Allow Forward to loopback, private and link-local IP addresses and to localhost (names"
          + " are not resolved for this check)."),
  FORWARD_SESSIONS_PER_DESTINATION(
      "forward.sessions-per-destination",
      "2",
      false,
      "Relay-to-relay sessions to one destination, shared by all clients' Forward commands."),
  FORWARD_MAX_DESTINATIONS(
      "forward.max-destinations",
      "256",
      false,
      "Destinations with open or opening sessions at once, for all clients together; beyond it"
          + " Forward to a new destination answers RATE."),
  FORWARD_DESTINATIONS_PER_CONNECTION(
      "forward.destinations-per-connection",
      "4",
      false,
      "Different destinations one client connection may forward to; beyond it Forward answers"
          + " RATE."),
  FORWARD_RATE(
      "forward.rate",
      "20",
      false,
      "Forward commands per second per connection, after a burst of twice as many (decimals"
          + " allowed)."),
  FORWARD_CONNECT_TIMEOUT(
      "forward.connect-timeout",
      "5s",
      false,
      "Time allowed to connect to a destination and finish the Noise handshake; a destination"
          + " that fails is not tried again for this long (Forward answers FORWARD)."),
  FORWARD_REPLY_TIMEOUT(
      "forward.reply-timeout",
      "10s",
      false,
      "Time allowed for a forwarded request from the Forward to the destination's reply."),
  // issue 14: a relay cluster (docs/operations.md, "Relay cluster"). Empty cluster.node: a single
  // relay, no cluster manager started.
  CLUSTER_NODE(
      "cluster.node",
      "",
      false,
      "This node's name in cluster.shards; empty = a single relay (no cluster). Needs the cluster"
          + " module on the class path."),
  CLUSTER_SHARDS(
      "cluster.shards",
      "",
      false,
      "Which node owns which shards, the same on every node: node:shards;node:shards, shards as"
          + " numbers and ranges (e.g. n1:0-5;n2:6-11;n3:12-15)."),
  CLUSTER_SHARD_COUNT(
      "cluster.shard-count",
      "16",
      false,
      "Number of shards, 1..4096; fixed for the cluster's lifetime (it routes every queue ID)."),
  CLUSTER_KEY_CERT(
      "cluster.key-cert",
      "",
      false,
      "PEM certificate of the cluster key, the same on every node (mutual TLS between nodes)."),
  CLUSTER_KEY(
      "cluster.key",
      "",
      false,
      "PEM private key of cluster.key-cert; a node without it cannot join or read shard tags."),
  CLUSTER_HOST(
      "cluster.host",
      "",
      false,
      "Address the cluster ports bind to and other nodes reach (one private address, never a"
          + " wildcard)."),
  CLUSTER_PORT(
      "cluster.port",
      "5701",
      false,
      "Hazelcast membership port on cluster.host (not TLS: keep it on a private network)."),
  CLUSTER_BUS_PORT(
      "cluster.bus-port",
      "5702",
      false,
      "Event-bus port on cluster.host (mutual TLS with the cluster key); carries the commands."),
  CLUSTER_MEMBERS(
      "cluster.members",
      "",
      false,
      "Membership addresses (host:port, comma-separated) of the nodes to join; this node's may"
          + " be listed too."),
  CLUSTER_COMMAND_TIMEOUT(
      "cluster.command-timeout",
      "2s",
      false,
      "How long a command waits for its shard's owner before it answers the retryable STORE.");

  /** The environment variable naming a config file to read (the flag is {@code --config}). */
  public static final String CONFIG_FILE_ENV = "SEALPOST_CONFIG";

  /** The command-line flag naming a config file to read. */
  public static final String CONFIG_FILE_FLAG = "--config";

  private final String key;
  private final String defaultValue;
  private final boolean secret;
  private final String description;

  Setting(String key, String defaultValue, boolean secret, String description) {
    this.key = key;
    this.defaultValue = defaultValue;
    this.secret = secret;
    this.description = description;
  }

  /** The key in the config file, e.g. {@code listen.port}. */
  public String key() {
    return key;
  }

  /** The environment variable, e.g. {@code SEALPOST_LISTEN_PORT}. */
  public String envVar() {
    return "SEALPOST_" + key.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
  }

  /** The command-line flag, e.g. {@code --listen-port}. */
  public String flag() {
    return "--" + key.replace('.', '-');
  }

  /** The embedded default as it would be written in the config file ({@code ""} = unset). */
  public String defaultValue() {
    return defaultValue;
  }

  /** Secret settings are never repeated in error messages. */
  public boolean secret() {
    return secret;
  }

  public String description() {
    return description;
  }

  public static Optional<Setting> byKey(String key) {
    for (Setting s : values()) {
      if (s.key.equals(key)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  public static Optional<Setting> byFlag(String flag) {
    for (Setting s : values()) {
      if (s.flag().equals(flag)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
