package org.sealpost.client;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.dns.AddressResolverOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.ProxyType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.sealpost.client.internal.ConnectionContexts;
import org.sealpost.client.internal.DuplicateFilter;
import org.sealpost.client.internal.ManagedConnection;
import org.sealpost.client.internal.RecordExactTls;
import org.sealpost.proto.address.MailboxAddress;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.proto.crypto.X25519KeyPair;
import org.sealpost.proto.net.SystemResolver;

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
 * Every mailbox used on one connection shares a session and an IP address, so the relay can tell
 * they belong together. By default ({@link Isolation#PER_MAILBOX}) the convenience methods of this
 * class therefore give every mailbox a session of its own for its recipient commands (from its
 * CreateQueue on), or one per {@link #group contact group}, and every destination mailbox a session
 * of its own for sends; {@link Isolation#PER_RELAY} shares one connection per relay instead. The
 * cost is one connection and one Noise handshake per session ({@link Isolation}). {@link
 * #connect(RelayAddress)} opens a dedicated connection for finer control; different IP addresses
 * need different networks, Tor circuits or two-hop receive.
 *
 * <h2>Threads</h2>
 *
 * Methods may be called from any thread except a Vert.x event loop for {@link #close()}. Stages
 * complete, and handlers run, on the connection's event loop: do not block in them. A connection
 * opened on one of this client's Vert.x contexts runs on that context; one opened from any other
 * thread gets the next event loop in turn, so different connections' handlers may run at the same
 * time on different threads.
 */
public final class SealpostClient implements AutoCloseable {
  private static final int MAX_MESSAGE = 65_536; // B ≤ 65535

  private final Vertx vertx;
  private final boolean ownsVertx;
  private final ClientOptions options;
  private volatile Consumer<RelayKeyChange> keyChangeListener = change -> {}; // issue 12
  private final WebSocketClient webSockets;
  private final DuplicateFilter duplicates;
  private final Map<RelayAddress, ManagedConnection> shared = new ConcurrentHashMap<>();
  private final Set<ManagedConnection> dedicated = ConcurrentHashMap.newKeySet();
  // issue 11: transport isolation: sessions by mailbox, contact group or destination
  private final Map<SessionKey, ManagedConnection> isolated = new ConcurrentHashMap<>();
  private final Map<ByteBuffer, String> groups = new ConcurrentHashMap<>();
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
            .setSslEngineOptions(new RecordExactTls(options.tlsEngine()))
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

  /**
   * A client with its own Vert.x instance, closed by {@link #close()}. Its resolver asks the DNS
   * servers of {@code /etc/resolv.conf}, or the local machine where that names none, never Netty's
   * fallback of Google Public DNS ({@link SystemResolver}).
   */
  public static SealpostClient create(ClientOptions options) {
    return new SealpostClient(
        Vertx.vertx(
            new VertxOptions()
                .setAddressResolverOptions(
                    resolverOptions(SystemResolver.RESOLV_CONF, SystemResolver.LOCAL_SERVER))),
        true,
        options);
  }

  static AddressResolverOptions resolverOptions(Path resolvConf, String local) {
    AddressResolverOptions dns = new AddressResolverOptions();
    List<String> servers = SystemResolver.serversInsteadOfFallback(resolvConf, local);
    return servers.isEmpty() ? dns : dns.setServers(servers);
  }

  /**
   * A client on the caller's Vert.x instance, which {@link #close()} leaves running; its resolver
   * is the caller's to configure.
   */
  public static SealpostClient create(Vertx vertx, ClientOptions options) {
    return new SealpostClient(vertx, false, options);
  }

  // issue 12: relay-key rotation
  /**
   * Tells {@code listener} when a relay announces a successor of the key this client pinned
   * (protocol §4.2.1): the connection that learnt it connects with the successor from then on, and
   * the application should update the addresses and mailboxes it stores ({@link RelayKeyChange}).
   * Called on a connection's event loop, once per connection that learns it; keep it short.
   */
  public SealpostClient onRelayKeyChange(Consumer<RelayKeyChange> listener) {
    keyChangeListener = Objects.requireNonNull(listener, "listener");
    return this;
  }

  private void keyChanged(RelayKeyChange change) {
    keyChangeListener.accept(change);
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
            ConnectionContexts.forNewConnection(vertx),
            Objects.requireNonNull(relay, "relay"),
            options,
            duplicates,
            () -> dedicated.remove(self[0]),
            via);
    self[0] = connection.onKeyChange(this::keyChanged);
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
            ConnectionContexts.forNewConnection(vertx),
            relay,
            options,
            duplicates,
            () -> shared.remove(relay, self[0]));
    return self[0].onKeyChange(this::keyChanged);
  }

  // issue 11: transport isolation
  /** What a session is kept for: a mailbox, a contact group, or the mailbox a send goes to. */
  private record SessionKey(RelayAddress relay, String kind, ByteBuffer id) {}

  /**
   * Puts a mailbox in a named contact group (null takes it out): under {@link
   * Isolation#PER_MAILBOX}, the mailboxes of one group share one session per relay, so the relay
   * can link them to each other but not to other groups. Takes effect for the next command (a
   * session already in use keeps its subscriptions).
   */
  public void group(Mailbox mailbox, String group) {
    ByteBuffer id = ByteBuffer.wrap(mailbox.recipientId());
    if (group == null) {
      groups.remove(id);
    } else {
      groups.put(id, group);
    }
  }

  /**
   * The session the convenience methods use for {@code mailbox}'s recipient commands: under {@link
   * Isolation#PER_MAILBOX} its own (or its group's), under {@link Isolation#PER_RELAY} the shared
   * {@link #connection(RelayAddress) connection} to its relay. It connects on first use and
   * reconnects when needed.
   */
  public RelayConnection session(Mailbox mailbox) {
    if (options.isolation() == Isolation.PER_RELAY) {
      return connection(mailbox.relay());
    }
    String group = groups.get(ByteBuffer.wrap(mailbox.recipientId()));
    return isolated(
        group == null
            ? new SessionKey(mailbox.relay(), "mailbox", ByteBuffer.wrap(mailbox.recipientId()))
            : new SessionKey(
                mailbox.relay(), "group", ByteBuffer.wrap(group.getBytes(StandardCharsets.UTF_8))));
  }

  /** The session for sending to {@code to}: under PER_MAILBOX, one per destination mailbox. */
  private RelayConnection sendSession(MailboxAddress to) {
    if (options.isolation() == Isolation.PER_RELAY) {
      return connection(to.relay());
    }
    return isolated(new SessionKey(to.relay(), "send", ByteBuffer.wrap(to.senderId())));
  }

  private ManagedConnection isolated(SessionKey key) {
    checkOpen();
    return isolated.computeIfAbsent(key, k -> newIsolated(new AtomicReference<>(k)));
  }

  private ManagedConnection newIsolated(AtomicReference<SessionKey> key) {
    ManagedConnection[] self = new ManagedConnection[1];
    self[0] =
        new ManagedConnection(
            vertx,
            webSockets,
            ConnectionContexts.forNewConnection(vertx),
            key.get().relay(),
            options,
            duplicates,
            () -> isolated.remove(key.get(), self[0]));
    return self[0].onKeyChange(this::keyChanged);
  }

  /** CreateQueue on a fresh session, which then becomes the new mailbox's own. */
  private CompletionStage<Mailbox> createIsolated(RelayAddress relay, byte[] creationToken) {
    checkOpen();
    AtomicReference<SessionKey> key =
        new AtomicReference<>(new SessionKey(relay, "creating", ByteBuffer.allocate(0)));
    ManagedConnection fresh = newIsolated(key);
    dedicated.add(fresh); // closed with the client even if creation fails
    return fresh
        .createMailbox(creationToken)
        .whenComplete(
            (m, e) -> {
              dedicated.remove(fresh);
              if (e != null) {
                fresh.close();
                return;
              }
              key.set(new SessionKey(relay, "mailbox", ByteBuffer.wrap(m.recipientId())));
              if (isolated.putIfAbsent(key.get(), fresh) != null) {
                fresh.close();
              }
            });
  }

  /** Creates a mailbox on a relay (its own session under {@link Isolation#PER_MAILBOX}). */
  public CompletionStage<Mailbox> createMailbox(RelayAddress relay) {
    return createMailbox(relay, null);
  }

  /**
   * Creates a mailbox on a relay that requires its operator's creation token (shared connection).
   *
   * @param creationToken the token's bytes (the relay's {@code create-token} in UTF-8), or null
   * @return fails with {@link ClientError#PROHIBITED} when the token is missing or wrong
   */
  public CompletionStage<Mailbox> createMailbox(RelayAddress relay, byte[] creationToken) {
    if (options.isolation() == Isolation.PER_MAILBOX) {
      return createIsolated(Objects.requireNonNull(relay, "relay"), creationToken);
    }
    return connection(relay).createMailbox(creationToken);
  }

  /** Registers a random send token for a mailbox; returns the mailbox that carries it. */
  public CompletionStage<Mailbox> secure(Mailbox mailbox) {
    return session(mailbox).secure(mailbox);
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
    return sendSession(to).send(to, content, senderIdentity);
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
    return session(mailbox).subscribe(mailbox, handler);
  }

  /**
   * Takes one pending message, if any; see {@link RelayConnection#get(Mailbox, MessageHandler)}.
   */
  public CompletionStage<Boolean> get(Mailbox mailbox, MessageHandler handler) {
    return session(mailbox).get(mailbox, handler);
  }

  /** Takes one pending message, if any, acknowledged before the stage completes. */
  public CompletionStage<Optional<ReceivedMessage>> get(Mailbox mailbox) {
    return session(mailbox).get(mailbox);
  }

  /** Deletes a mailbox's queue and everything in it. */
  public CompletionStage<Void> delete(Mailbox mailbox) {
    return session(mailbox).delete(mailbox);
  }

  // issue 11: moving a mailbox (protocol §7.4)
  /**
   * Step 1 of moving a mailbox: creates a new mailbox on {@code to} (secured when {@code old} is)
   * with fresh IDs and keys, over the shared connection to {@code to}. Keep both mailboxes, receive
   * from both, send each contact {@link #notifyAddressChange a notice}, and {@link #retire} the old
   * one once every contact has written to the new one. Nothing of this tells either relay that the
   * two mailboxes belong together.
   */
  public CompletionStage<Mailbox> move(Mailbox old, RelayAddress to) {
    Objects.requireNonNull(old, "old");
    CompletionStage<Mailbox> created = createMailbox(to);
    return old.isSecured() ? created.thenCompose(this::secure) : created;
  }

  /**
   * Sends {@code contact} the sealed address-changed notice for {@code old} → {@code moved}, as an
   * ordinary message from {@code identity} (through {@code via} when not null, like {@link
   * #send(MailboxAddress, byte[], X25519KeyPair, RelayAddress)}).
   */
  public CompletionStage<Void> notifyAddressChange(
      Mailbox old,
      Mailbox moved,
      MailboxAddress contact,
      X25519KeyPair identity,
      RelayAddress via) {
    return send(contact, AddressChange.notice(old, moved, contact), identity, via);
  }

  /**
   * The last step of a move: on a connection of its own, takes every message left in {@code old}
   * (each handed to {@code handler}, then acknowledged), then deletes the queue. Call it once no
   * contact writes to the old address any more, and after closing any connection that subscribes it
   * (the relay refuses a Get for a mailbox subscribed on the same connection, and a message pushed
   * elsewhere while the queue is deleted would be lost).
   *
   * @return the number of messages taken
   */
  public CompletionStage<Integer> retire(Mailbox old, MessageHandler handler) {
    Objects.requireNonNull(handler, "handler");
    return connect(Objects.requireNonNull(old, "old").relay())
        .thenCompose(
            c ->
                drain(c, old, handler, 0)
                    .thenCompose(n -> c.delete(old).thenApply(v -> n))
                    .whenComplete((n, e) -> c.close()));
  }

  private static CompletionStage<Integer> drain(
      RelayConnection c, Mailbox mailbox, MessageHandler handler, int taken) {
    return c.get(mailbox, handler)
        .thenCompose(more -> more ? drain(c, mailbox, handler, taken + 1) : completed(taken));
  }

  private static CompletionStage<Integer> completed(int n) {
    return CompletableFuture.completedFuture(n);
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
    isolated.values().forEach(ManagedConnection::close);
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
