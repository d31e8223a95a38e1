package org.sealpost.client;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.ProxyType;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.sealpost.client.internal.DuplicateFilter;
import org.sealpost.client.internal.ManagedConnection;
import org.sealpost.client.internal.RecordExactTls;
import org.sealpost.proto.address.MailboxAddress;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.proto.crypto.X25519KeyPair;

/**
 * The entry point of the client library: connections to relays, and the everyday operations on
 * mailboxes routed to a shared connection per relay.
 *
 * <pre>{@code
 * try (SealpostClient client = SealpostClient.create()) {
 *   RelayAddress relay = RelayAddress.parse("sealpost://...@relay.example:8443");
 *   Mailbox inbox = client.createMailbox(relay).toCompletableFuture().join();
 *   inbox = client.secure(inbox).toCompletableFuture().join();
 *   String address = client.mailboxAddress(inbox).format();   // hand this to a contact
 *   client.subscribe(inbox, m -> System.out.println(new String(m.content(), UTF_8)));
 *   client.send(MailboxAddress.parse(address), "hi".getBytes(UTF_8), myIdentity);
 * }
 * }</pre>
 *
 * <h2>Transport and trust</h2>
 *
 * Each connection is a WebSocket on {@code /v1}, over TLS 1.3 for {@code sealpost://} addresses or
 * plain for {@code sealpost+ws://} (onion services, TLS-terminating proxies). TLS certificates are
 * <em>not</em> checked, and that is safe: the relay is authenticated by the Noise NK handshake
 * inside the WebSocket, against the static key pinned in the relay address. An interceptor with
 * another certificate can read only Noise ciphertext, and cannot complete the handshake without the
 * relay's private key ({@link ClientError#HANDSHAKE}). TLS only makes the traffic look like
 * ordinary HTTPS and hides the WebSocket framing.
 *
 * <h2>Transport isolation (DESIGN §7b)</h2>
 *
 * Every mailbox subscribed on one connection shares a session and an IP address, so the relay can
 * tell they belong together. The convenience methods of this class use one shared connection per
 * relay; to keep mailboxes or contacts apart, open a dedicated connection per mailbox (or per
 * group) with {@link #connect(RelayAddress)} and use the {@link RelayConnection} methods on it
 * (and, for different IP addresses, route them through different Tor circuits or networks).
 *
 * <h2>Threads</h2>
 *
 * Methods may be called from any thread except a Vert.x event loop for {@link #close()}. Stages
 * complete, and handlers run, on the connection's event loop: do not block in them.
 */
public final class SealpostClient implements AutoCloseable {
  private static final int MAX_MESSAGE = 65_536; // B ≤ 65535

  private final Vertx vertx;
  private final boolean ownsVertx;
  private final ClientOptions options;
  private final WebSocketClient webSockets;
  private final DuplicateFilter duplicates;
  private final Map<RelayAddress, ManagedConnection> shared = new ConcurrentHashMap<>();
  private final Set<ManagedConnection> dedicated = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private SealpostClient(Vertx vertx, boolean ownsVertx, ClientOptions options) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.ownsVertx = ownsVertx;
    this.options = Objects.requireNonNull(options, "options");
    this.duplicates = new DuplicateFilter(options.duplicateMemory());
    // The first X25519 operation builds precomputed tables and seeds the random source: do it
    // here, on the caller's thread, rather than stall an event loop with it later.
    X25519KeyPair.generate(options.random()).destroy();
    WebSocketClientOptions webSocketOptions =
        new WebSocketClientOptions()
            // The Noise handshake pins the relay key; see the class comment.
            .setTrustAll(true)
            .setVerifyHost(false)
            .setEnabledSecureTransportProtocols(Set.of("TLSv1.3"))
            // one record per wrap call, B + 25 bytes per block: no padding (unlike the JDK's)
            .setSslEngineOptions(new RecordExactTls())
            .setConnectTimeout((int) options.connectTimeout().toMillis())
            // connectTimeout bounds TLS too (Vert.x's own default cut TLS at 10 s whatever the
            // client asked for: a relay busy with a reconnect storm lost every handshake)
            .setSslHandshakeTimeout(options.connectTimeout().toMillis())
            .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS)
            // compression would make sizes depend on content
            .setTryUsePerMessageCompression(false)
            .setTryUsePerFrameCompression(false)
            .setMaxFrameSize(MAX_MESSAGE)
            .setMaxMessageSize(MAX_MESSAGE)
            .setMaxConnections(Integer.MAX_VALUE)
            // seconds to wait for the TCP close after a close frame
            .setClosingTimeout(2);
    // Vert.x hands the target host to a SOCKS5 proxy unresolved (address type 3): the relay's
    // name never reaches the local resolver (Socks5ViaProxyIT checks it)
    options
        .socks5Proxy()
        .ifPresent(
            p ->
                webSocketOptions.setProxyOptions(
                    new ProxyOptions()
                        .setType(ProxyType.SOCKS5)
                        .setHost(p.host())
                        .setPort(p.port())));
    this.webSockets = vertx.createWebSocketClient(webSocketOptions);
  }

  /** A client with its own Vert.x instance (closed by {@link #close()}) and default options. */
  public static SealpostClient create() {
    return create(ClientOptions.defaults());
  }

  /** A client with its own Vert.x instance, closed by {@link #close()}. */
  public static SealpostClient create(ClientOptions options) {
    return new SealpostClient(Vertx.vertx(), true, options);
  }

  /** A client on the caller's Vert.x instance, which {@link #close()} leaves running. */
  public static SealpostClient create(Vertx vertx, ClientOptions options) {
    return new SealpostClient(vertx, false, options);
  }

  public ClientOptions options() {
    return options;
  }

  /** A fresh identity key pair: what recipients see as the sender of a message. */
  public X25519KeyPair newIdentity() {
    return X25519KeyPair.generate(options.random());
  }

  /**
   * Opens a new, dedicated connection to a relay and completes once the Noise handshake is done.
   * Nothing else uses this connection: this is how mailboxes are kept apart (transport isolation).
   * Close it when done.
   *
   * @return fails with {@link ClientError#UNREACHABLE}, {@link ClientError#TRANSPORT}, {@link
   *     ClientError#HANDSHAKE} (wrong relay key), {@link ClientError#VERSION} or {@link
   *     ClientError#TIMEOUT}
   */
  public CompletionStage<RelayConnection> connect(RelayAddress relay) {
    return dedicated(relay, null);
  }

  /**
   * issue 11: opens a dedicated connection to {@code relay} through a circuit on the first relay
   * {@code via} (protocol §11): {@code relay} sees {@code via}'s address, never this client's;
   * {@code via} sees this client's address and that it talks to {@code relay}, never a queue, key
   * or envelope. Every reconnect opens a new circuit through {@code via}. With {@code via} null or
   * equal to {@code relay} this is {@link #connect(RelayAddress)}. Fails with {@code UNREACHABLE}
   * (the first relay), {@code FORWARD_UNREACHABLE} (the destination) or {@code FORWARD_REFUSED}.
   */
  public CompletionStage<RelayConnection> connect(RelayAddress relay, RelayAddress via) {
    return dedicated(relay, via == null || via.equals(relay) ? null : via);
  }

  private CompletionStage<RelayConnection> dedicated(RelayAddress relay, RelayAddress via) {
    checkOpen();
    ManagedConnection[] self = new ManagedConnection[1];
    ManagedConnection connection =
        new ManagedConnection(
            vertx,
            webSockets,
            vertx.getOrCreateContext(),
            Objects.requireNonNull(relay, "relay"),
            options,
            duplicates,
            () -> dedicated.remove(self[0]),
            via);
    self[0] = connection;
    dedicated.add(connection);
    return connection
        .info()
        .<RelayConnection>thenApply(info -> connection)
        .whenComplete(
            (c, e) -> {
              if (e != null) {
                connection.close();
              }
            });
  }

  /**
   * The shared connection to a relay that the convenience methods below use; it connects on first
   * use and reconnects when needed.
   */
  public RelayConnection connection(RelayAddress relay) {
    checkOpen();
    return shared.computeIfAbsent(Objects.requireNonNull(relay, "relay"), this::newShared);
  }

  private ManagedConnection newShared(RelayAddress relay) {
    ManagedConnection[] self = new ManagedConnection[1];
    self[0] =
        new ManagedConnection(
            vertx,
            webSockets,
            vertx.getOrCreateContext(),
            relay,
            options,
            duplicates,
            () -> shared.remove(relay, self[0]));
    return self[0];
  }

  /** Creates a mailbox on a relay (shared connection). */
  public CompletionStage<Mailbox> createMailbox(RelayAddress relay) {
    return connection(relay).createMailbox();
  }

  /**
   * Creates a mailbox on a relay that requires its operator's creation token (shared connection).
   *
   * @param creationToken the token's bytes (the relay's {@code create-token} in UTF-8), or null
   * @return fails with {@link ClientError#PROHIBITED} when the token is missing or wrong
   */
  public CompletionStage<Mailbox> createMailbox(RelayAddress relay, byte[] creationToken) {
    return connection(relay).createMailbox(creationToken);
  }

  /** Registers a random send token for a mailbox; returns the mailbox that carries it. */
  public CompletionStage<Mailbox> secure(Mailbox mailbox) {
    return connection(mailbox.relay()).secure(mailbox);
  }

  /** The mailbox address to hand to contacts: relay, sender ID, sealing key and send token. */
  public MailboxAddress mailboxAddress(Mailbox mailbox) {
    return mailbox.address();
  }

  /**
   * Seals and sends {@code content} to a mailbox address, over the shared connection to the
   * address's relay. Completes once the relay stored it durably.
   */
  public CompletionStage<Void> send(
      MailboxAddress to, byte[] content, X25519KeyPair senderIdentity) {
    return connection(to.relay()).send(to, content, senderIdentity);
  }

  // issue 11: two-hop sending
  /**
   * Seals and sends {@code content} to a mailbox address through a first relay {@code via}
   * (protocol §9), over the shared connection to {@code via}: {@code via} learns this client's
   * address and the destination relay but not the mailbox; the destination learns the mailbox but
   * not this client's address. With {@code via} null, or equal to the address's relay, this is
   * {@link #send(MailboxAddress, byte[], X25519KeyPair)}: a relay never forwards to itself.
   *
   * @return fails with {@link ClientError#UNREACHABLE} (and the other connection errors) for the
   *     first relay, {@link ClientError#FORWARD_REFUSED} when it does not forward, {@link
   *     ClientError#FORWARD_UNREACHABLE} when it cannot reach the destination
   */
  public CompletionStage<Void> send(
      MailboxAddress to, byte[] content, X25519KeyPair senderIdentity, RelayAddress via) {
    if (via == null || via.equals(to.relay())) {
      return send(to, content, senderIdentity);
    }
    return connection(via).forward(to, content, senderIdentity);
  }

  /** Subscribes a mailbox on the shared connection to its relay. */
  public CompletionStage<Void> subscribe(Mailbox mailbox, MessageHandler handler) {
    return connection(mailbox.relay()).subscribe(mailbox, handler);
  }

  /**
   * Takes one pending message, if any; see {@link RelayConnection#get(Mailbox, MessageHandler)}.
   */
  public CompletionStage<Boolean> get(Mailbox mailbox, MessageHandler handler) {
    return connection(mailbox.relay()).get(mailbox, handler);
  }

  /** Takes one pending message, if any, acknowledged before the stage completes. */
  public CompletionStage<Optional<ReceivedMessage>> get(Mailbox mailbox) {
    return connection(mailbox.relay()).get(mailbox);
  }

  /** Deletes a mailbox's queue and everything in it. */
  public CompletionStage<Void> delete(Mailbox mailbox) {
    return connection(mailbox.relay()).delete(mailbox);
  }

  private void checkOpen() {
    if (closed) {
      throw new SealpostException(ClientError.CLOSED, "this client was closed");
    }
  }

  /**
   * Closes every connection; a client that owns its Vert.x instance also closes it (waiting up to
   * 10 s). Do not call from an event-loop thread.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    shared.values().forEach(ManagedConnection::close);
    dedicated.forEach(ManagedConnection::close);
    if (ownsVertx) {
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        // closing is best effort: the connections were already told to close
      }
    } else {
      webSockets.close();
    }
  }
}
