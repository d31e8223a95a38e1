package org.sealpost.client.internal;

import com.google.protobuf.ByteString;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import org.sealpost.client.ClientError;
import org.sealpost.client.ClientOptions;
import org.sealpost.client.Mailbox;
import org.sealpost.client.MessageHandler;
import org.sealpost.client.ReceivedMessage;
import org.sealpost.client.RelayConnection;
import org.sealpost.client.RelayInfo;
import org.sealpost.client.SealedMessageHandler;
import org.sealpost.client.SealpostException;
import org.sealpost.proto.address.MailboxAddress;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.proto.crypto.CommandMac;
import org.sealpost.proto.crypto.CryptoException;
import org.sealpost.proto.crypto.DeliveryCipher;
import org.sealpost.proto.crypto.SealedEnvelope;
import org.sealpost.proto.crypto.SendToken;
import org.sealpost.proto.crypto.X25519KeyPair;
import org.sealpost.proto.v1.Ack;
import org.sealpost.proto.v1.CreateQueue;
import org.sealpost.proto.v1.DeleteQueue;
import org.sealpost.proto.v1.Frame;
import org.sealpost.proto.v1.Get;
import org.sealpost.proto.v1.Message;
import org.sealpost.proto.v1.Ping;
import org.sealpost.proto.v1.QueueCreated;
import org.sealpost.proto.v1.RecipientCommand;
import org.sealpost.proto.v1.RecipientOp;
import org.sealpost.proto.v1.SecureQueue;
import org.sealpost.proto.v1.Send;
import org.sealpost.proto.v1.Subscribe;

/**
 * A {@link RelayConnection} that (re)opens {@link ClientSession}s on demand, keeps the
 * subscriptions, resubscribes them in one batch after a reconnect, opens deliveries and
 * acknowledges them. All state is confined to one Vert.x context; public methods hop onto it.
 */
public final class ManagedConnection implements RelayConnection {
  private final Vertx vertx;
  private final WebSocketClient client;
  private final Context context;
  private final RelayAddress relay;
  private final ClientOptions options;
  private final DuplicateFilter duplicates;
  private final Runnable onClose;
  // written on the context only; concurrent so that subscriptions() may read its size anywhere
  private final Map<ByteBuffer, Subscription> subscriptions = new ConcurrentHashMap<>();

  private ClientSession session;
  private Future<ClientSession> connecting;
  private Promise<Void> subscribed = Promise.promise();
  private boolean closed;
  private long reconnectTimer = -1;
  private Duration backoff;

  private record Subscription(Mailbox mailbox, MessageHandler handler) {}

  /**
   * @param context the event-loop context every session of this connection runs on
   * @param duplicates the client-wide memory of delivered envelope IDs
   * @param onClose run once when {@link #close()} is called (the owner forgets the connection)
   */
  public ManagedConnection(
      Vertx vertx,
      WebSocketClient client,
      Context context,
      RelayAddress relay,
      ClientOptions options,
      DuplicateFilter duplicates,
      Runnable onClose) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.client = Objects.requireNonNull(client, "client");
    this.context = Objects.requireNonNull(context, "context");
    this.relay = Objects.requireNonNull(relay, "relay");
    this.options = Objects.requireNonNull(options, "options");
    this.duplicates = Objects.requireNonNull(duplicates, "duplicates");
    this.onClose = Objects.requireNonNull(onClose, "onClose");
    this.backoff = options.reconnectMinDelay();
  }

  @Override
  public RelayAddress relay() {
    return relay;
  }

  @Override
  public CompletionStage<RelayInfo> info() {
    return onContext(() -> session().map(ClientSession::info));
  }

  @Override
  public CompletionStage<Mailbox> createMailbox() {
    return createMailbox(null);
  }

  @Override
  public CompletionStage<Mailbox> createMailbox(byte[] creationToken) {
    byte[] token = creationToken == null ? null : creationToken.clone();
    return onContext(
        () ->
            session()
                .compose(
                    s -> {
                      X25519KeyPair queueKey = X25519KeyPair.generate(options.random());
                      X25519KeyPair sealingKey = X25519KeyPair.generate(options.random());
                      CreateQueue.Builder create =
                          CreateQueue.newBuilder()
                              .setRecipientDhPublic(ByteString.copyFrom(queueKey.publicKey()));
                      if (token != null) {
                        create.setCreationToken(ByteString.copyFrom(token));
                      }
                      return s.request(Frame.newBuilder().setCreateQueue(create), "create mailbox")
                          .map(reply -> mailboxFrom(reply, queueKey, sealingKey));
                    }));
  }

  private Mailbox mailboxFrom(Frame reply, X25519KeyPair queueKey, X25519KeyPair sealingKey) {
    if (!reply.hasQueueCreated()) {
      throw unexpected("create mailbox", reply);
    }
    QueueCreated created = reply.getQueueCreated();
    try {
      return new Mailbox(
          relay,
          created.getRecipientId().toByteArray(),
          created.getSenderId().toByteArray(),
          created.getRelayDhPublic().toByteArray(),
          queueKey,
          sealingKey,
          null);
    } catch (IllegalArgumentException e) {
      throw new SealpostException(
          ClientError.PROTOCOL, relay + ": QueueCreated has a field of the wrong size", e);
    }
  }

  @Override
  public CompletionStage<Mailbox> secure(Mailbox mailbox) {
    checkRelay(mailbox);
    byte[] token = SendToken.random(options.random());
    RecipientOp op =
        RecipientOp.newBuilder()
            .setSecureQueue(SecureQueue.newBuilder().setSendToken(ByteString.copyFrom(token)))
            .build();
    return onContext(
        () ->
            session()
                .compose(s -> recipientCommand(s, mailbox, op, "secure mailbox"))
                .map(
                    reply -> {
                      expectOk("secure mailbox", reply);
                      return mailbox.withSendToken(token);
                    }));
  }

  @Override
  public CompletionStage<Void> send(
      MailboxAddress to, byte[] content, X25519KeyPair senderIdentity) {
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(senderIdentity, "senderIdentity");
    byte[] data = content.clone();
    return sendEnvelope(to, info -> seal(info, to, data, senderIdentity));
  }

  @Override
  public CompletionStage<Void> sendSealed(MailboxAddress to, byte[] envelope) {
    Objects.requireNonNull(envelope, "envelope");
    ByteString sealed = ByteString.copyFrom(envelope);
    return sendEnvelope(
        to,
        info -> {
          if (sealed.size() != info.envelopeSize()) {
            throw new SealpostException(
                ClientError.BAD_ENVELOPE,
                "an envelope for this relay is exactly "
                    + info.envelopeSize()
                    + " bytes, not "
                    + sealed.size());
          }
          return sealed;
        });
  }

  /** Sends the envelope {@code envelope} makes from the session's relay info (on the context). */
  private CompletionStage<Void> sendEnvelope(
      MailboxAddress to, Function<RelayInfo, ByteString> envelope) {
    Objects.requireNonNull(to, "to");
    if (!to.relay().equals(relay)) {
      throw new IllegalArgumentException("the mailbox address names another relay");
    }
    return onContext(
        () ->
            session()
                .compose(
                    s -> {
                      Send.Builder send =
                          Send.newBuilder()
                              .setSenderId(ByteString.copyFrom(to.senderId()))
                              .setEnvelope(envelope.apply(s.info()));
                      to.sendToken().ifPresent(t -> send.setSendToken(ByteString.copyFrom(t)));
                      return s.request(Frame.newBuilder().setSend(send), "send");
                    })
                .map(
                    reply -> {
                      expectOk("send", reply);
                      return null;
                    }));
  }

  private ByteString seal(
      RelayInfo info, MailboxAddress to, byte[] content, X25519KeyPair identity) {
    SealedEnvelope sealer = new SealedEnvelope(info.envelopeSize());
    try {
      return ByteString.copyFrom(sealer.seal(identity, to.sealingKey(), content, options.random()));
    } catch (CryptoException e) {
      if (e.reason() == CryptoException.Reason.TOO_LARGE) {
        throw new SealpostException(
            ClientError.TOO_LARGE,
            "content of "
                + content.length
                + " bytes exceeds the "
                + sealer.capacity()
                + " bytes one envelope of this relay carries",
            e);
      }
      throw new SealpostException(
          ClientError.BAD_ADDRESS, "the mailbox address's sealing key is not usable", e);
    }
  }

  @Override
  public CompletionStage<Void> subscribeSealed(Mailbox mailbox, SealedMessageHandler handler) {
    return subscribe(mailbox, new SealedDelivery(Objects.requireNonNull(handler, "handler")));
  }

  /** A subscription whose deliveries are handed over still sealed (see {@link #deliver}). */
  private record SealedDelivery(SealedMessageHandler target) implements MessageHandler {
    @Override
    public void onMessage(ReceivedMessage message) {
      throw new IllegalStateException("sealed deliveries are never opened");
    }

    @Override
    public void onEnd(Mailbox mailbox) {
      target.onEnd(mailbox);
    }

    @Override
    public void onQuotaReached(Mailbox mailbox) {
      target.onQuotaReached(mailbox);
    }

    @Override
    public void onSubscriptionFailed(Mailbox mailbox, SealpostException problem) {
      target.onSubscriptionFailed(mailbox, problem);
    }

    @Override
    public void onUnreadable(Mailbox mailbox, SealpostException problem) {
      target.onUnreadable(mailbox, problem);
    }
  }

  @Override
  public CompletionStage<Void> subscribe(Mailbox mailbox, MessageHandler handler) {
    checkRelay(mailbox);
    Objects.requireNonNull(handler, "handler");
    Subscription sub = new Subscription(mailbox, handler);
    ByteBuffer key = key(mailbox.recipientId());
    return onContext(
        () ->
            session()
                .compose(
                    s -> {
                      // registered before the command leaves, so pushes that follow the Ok in
                      // the same block find it
                      subscriptions.put(key, sub);
                      return subscribeOn(s, sub);
                    })
                .onFailure(
                    e -> {
                      if (subscriptions.get(key) == sub) {
                        subscriptions.remove(key);
                      }
                    }));
  }

  private Future<Void> subscribeOn(ClientSession s, Subscription sub) {
    RecipientOp op = RecipientOp.newBuilder().setSubscribe(Subscribe.getDefaultInstance()).build();
    return recipientCommand(s, sub.mailbox(), op, "subscribe")
        .map(
            reply -> {
              expectOk("subscribe", reply);
              return null;
            });
  }

  @Override
  public CompletionStage<Boolean> get(Mailbox mailbox, MessageHandler handler) {
    checkRelay(mailbox);
    Objects.requireNonNull(handler, "handler");
    return onContext(() -> getOnce(mailbox, handler));
  }

  private Future<Boolean> getOnce(Mailbox mailbox, MessageHandler handler) {
    RecipientOp op = RecipientOp.newBuilder().setGet(Get.getDefaultInstance()).build();
    return session()
        .compose(
            s ->
                recipientCommand(s, mailbox, op, "get")
                    .compose(
                        reply -> {
                          if (reply.hasMessage()) {
                            return deliver(s, mailbox, handler, reply.getMessage(), true).map(true);
                          }
                          expectOk("get", reply);
                          return Future.succeededFuture(false);
                        }));
  }

  @Override
  public CompletionStage<Optional<ReceivedMessage>> get(Mailbox mailbox) {
    checkRelay(mailbox);
    return onContext(() -> getFirstNew(mailbox));
  }

  /** Gets until a message that is not a duplicate arrives, or none is pending. */
  private Future<Optional<ReceivedMessage>> getFirstNew(Mailbox mailbox) {
    AtomicReference<ReceivedMessage> taken = new AtomicReference<>();
    return getOnce(mailbox, taken::set)
        .compose(
            any -> {
              if (taken.get() != null) {
                return Future.succeededFuture(Optional.of(taken.get()));
              }
              return any ? getFirstNew(mailbox) : Future.succeededFuture(Optional.empty());
            });
  }

  @Override
  public CompletionStage<Void> delete(Mailbox mailbox) {
    checkRelay(mailbox);
    RecipientOp op =
        RecipientOp.newBuilder().setDeleteQueue(DeleteQueue.getDefaultInstance()).build();
    return onContext(
        () ->
            session()
                .compose(s -> recipientCommand(s, mailbox, op, "delete mailbox"))
                .map(
                    reply -> {
                      expectOk("delete mailbox", reply);
                      subscriptions.remove(key(mailbox.recipientId()));
                      return null;
                    }));
  }

  @Override
  public CompletionStage<Void> ping() {
    return onContext(
        () ->
            session()
                .compose(
                    s -> s.request(Frame.newBuilder().setPing(Ping.getDefaultInstance()), "ping"))
                .map(
                    reply -> {
                      if (!reply.hasPong()) {
                        throw unexpected("ping", reply);
                      }
                      return null;
                    }));
  }

  @Override
  public int subscriptions() {
    return subscriptions.size();
  }

  @Override
  public CompletionStage<Void> whenSubscribed() {
    return onContext(() -> session().compose(s -> subscribed.future()));
  }

  @Override
  public void close() {
    context.runOnContext(
        v -> {
          if (closed) {
            return;
          }
          closed = true;
          onClose.run();
          if (reconnectTimer >= 0) {
            vertx.cancelTimer(reconnectTimer);
          }
          subscriptions.clear();
          if (session != null) {
            session.close();
          }
        });
  }

  // ---- sessions and reconnection (on the context) -------------------------------------------

  private Future<ClientSession> session() {
    if (closed) {
      return Future.failedFuture(
          new SealpostException(ClientError.CLOSED, "connection to " + relay + " was closed"));
    }
    if (session != null && session.isOpen()) {
      return Future.succeededFuture(session);
    }
    if (connecting != null) {
      return connecting;
    }
    AtomicReference<ClientSession> self = new AtomicReference<>();
    ClientSession.Listener events =
        new ClientSession.Listener() {
          @Override
          public void onPush(Frame frame) {
            onPushFrame(self.get(), frame);
          }

          @Override
          public void onClosed(SealpostException cause) {
            sessionClosed(self.get());
          }
        };
    connecting =
        ClientSession.open(vertx, client, context, relay, options, events)
            .andThen(
                ar -> {
                  connecting = null;
                  if (ar.succeeded()) {
                    self.set(ar.result());
                    sessionOpened(ar.result());
                  }
                });
    return connecting;
  }

  private void sessionOpened(ClientSession s) {
    if (closed) {
      s.close();
      return;
    }
    session = s;
    backoff = options.reconnectMinDelay();
    if (subscriptions.isEmpty()) {
      subscribed.tryComplete();
      return;
    }
    // One task queues every Subscribe, so they leave in as few blocks as they fit.
    List<Future<Void>> all = new ArrayList<>();
    for (Subscription sub : new ArrayList<>(subscriptions.values())) {
      all.add(
          subscribeOn(s, sub)
              .onFailure(
                  e -> {
                    if (e instanceof SealpostException se
                        && se.error() != ClientError.CONNECTION_LOST
                        && se.error() != ClientError.CLOSED
                        && se.error() != ClientError.TIMEOUT) {
                      ByteBuffer key = key(sub.mailbox().recipientId());
                      if (subscriptions.get(key) == sub) {
                        subscriptions.remove(key);
                        sub.handler().onSubscriptionFailed(sub.mailbox(), se);
                      }
                    }
                  }));
    }
    Promise<Void> current = subscribed;
    Future.join(all).onComplete(ar -> current.tryComplete());
  }

  private void sessionClosed(ClientSession s) {
    if (s != session) {
      return;
    }
    session = null;
    if (subscribed.future().isComplete()) {
      subscribed = Promise.promise();
    }
    if (!closed && options.reconnect() && !subscriptions.isEmpty()) {
      scheduleReconnect();
    }
  }

  private void scheduleReconnect() {
    long delay = Math.max(1, backoff.toMillis());
    backoff = backoff.multipliedBy(2);
    if (backoff.compareTo(options.reconnectMaxDelay()) > 0) {
      backoff = options.reconnectMaxDelay();
    }
    reconnectTimer =
        vertx.setTimer(
            delay,
            id -> {
              reconnectTimer = -1;
              if (closed || subscriptions.isEmpty() || session != null || connecting != null) {
                return;
              }
              session()
                  .onFailure(
                      e -> {
                        if (!closed && !subscriptions.isEmpty()) {
                          scheduleReconnect();
                        }
                      });
            });
  }

  // ---- deliveries (on the context) ----------------------------------------------------------

  private void onPushFrame(ClientSession s, Frame frame) {
    switch (frame.getBodyCase()) {
      case MESSAGE -> {
        Message m = frame.getMessage();
        Subscription sub = subscriptions.get(key(m.getRecipientId().toByteArray()));
        if (sub != null) {
          deliver(s, sub.mailbox(), sub.handler(), m, false);
        }
      }
      case END -> {
        Subscription sub = subscriptions.remove(key(frame.getEnd().getRecipientId().toByteArray()));
        if (sub != null) {
          sub.handler().onEnd(sub.mailbox());
        }
      }
      case QUOTA_REACHED -> {
        Subscription sub =
            subscriptions.get(key(frame.getQuotaReached().getRecipientId().toByteArray()));
        if (sub != null) {
          sub.handler().onQuotaReached(sub.mailbox());
        }
      }
      default -> {
        // nothing else is pushed in v1; unknown pushes are ignored
      }
    }
  }

  /**
   * Opens a delivery, hands it to the handler unless it is a duplicate, and acknowledges it.
   *
   * @param rethrow whether a handler failure fails the returned future (Get) or only skips the ack
   *     (subscription pushes)
   * @return completes when the ack is answered, or at once when nothing is acknowledged
   */
  private Future<Void> deliver(
      ClientSession s, Mailbox mailbox, MessageHandler handler, Message m, boolean rethrow) {
    RelayInfo info = s.info();
    byte[] messageId = m.getMessageId().toByteArray();
    ReceivedMessage received;
    try {
      byte[] envelope =
          new DeliveryCipher(info.envelopeSize())
              .decrypt(
                  mailbox.queueKeys().deliveryKey(),
                  messageId,
                  mailbox.recipientId(),
                  m.getEncryptedEnvelope().toByteArray());
      if (handler instanceof SealedDelivery sealed) {
        // only subscriptions hand over sealed deliveries (never a Get), so failures never rethrow
        return handOverSealed(s, mailbox, sealed.target(), messageId, envelope);
      }
      SealedEnvelope.Opened opened =
          new SealedEnvelope(info.envelopeSize()).open(mailbox.sealingKey(), envelope);
      received =
          new ReceivedMessage(
              mailbox, opened.senderIdentityKey(), opened.content(), opened.envelopeId());
    } catch (CryptoException e) {
      Future<Void> acked = ack(s, mailbox, messageId);
      handler.onUnreadable(
          mailbox,
          new SealpostException(
              ClientError.UNREADABLE_ENVELOPE,
              "a delivery could not be opened (" + e.reason() + ") and was dropped",
              e));
      return acked;
    }
    if (duplicates.seen(received.envelopeId())) {
      return ack(s, mailbox, messageId);
    }
    try {
      handler.onMessage(received);
    } catch (RuntimeException e) {
      // not acknowledged: the relay delivers it again on a later subscription
      return rethrow ? Future.failedFuture(e) : Future.succeededFuture();
    }
    duplicates.remember(received.envelopeId());
    return ack(s, mailbox, messageId);
  }

  private Future<Void> handOverSealed(
      ClientSession s,
      Mailbox mailbox,
      SealedMessageHandler handler,
      byte[] messageId,
      byte[] envelope) {
    try {
      handler.onSealed(mailbox, envelope);
    } catch (RuntimeException e) {
      // not acknowledged: the relay delivers it again on a later subscription
      return Future.succeededFuture();
    }
    return ack(s, mailbox, messageId);
  }

  private Future<Void> ack(ClientSession s, Mailbox mailbox, byte[] messageId) {
    Frame.Builder ack =
        Frame.newBuilder()
            .setAck(
                Ack.newBuilder()
                    .setRecipientId(ByteString.copyFrom(mailbox.recipientId()))
                    .setMessageId(ByteString.copyFrom(messageId)));
    return s.request(ack, "ack")
        .map(
            reply -> {
              expectOk("ack", reply);
              return null;
            });
  }

  // ---- helpers --------------------------------------------------------------------------------

  private static Future<Frame> recipientCommand(
      ClientSession s, Mailbox mailbox, RecipientOp op, String operation) {
    byte[] command = op.toByteArray();
    byte[] recipientId = mailbox.recipientId();
    byte[] mac =
        CommandMac.compute(mailbox.queueKeys().macKey(), s.handshakeHash(), recipientId, command);
    RecipientCommand rc =
        RecipientCommand.newBuilder()
            .setRecipientId(ByteString.copyFrom(recipientId))
            .setCommand(ByteString.copyFrom(command))
            .setMac(ByteString.copyFrom(mac))
            .build();
    return s.request(Frame.newBuilder().setRecipientCommand(rc), operation);
  }

  private void expectOk(String operation, Frame reply) {
    if (!reply.hasOk()) {
      throw unexpected(operation, reply);
    }
  }

  private SealpostException unexpected(String operation, Frame reply) {
    return new SealpostException(
        ClientError.PROTOCOL, relay + " answered " + operation + " with " + reply.getBodyCase());
  }

  private void checkRelay(Mailbox mailbox) {
    Objects.requireNonNull(mailbox, "mailbox");
    if (!mailbox.relay().equals(relay)) {
      throw new IllegalArgumentException("the mailbox lives on another relay");
    }
  }

  private static ByteBuffer key(byte[] recipientId) {
    return ByteBuffer.wrap(recipientId);
  }

  /** Runs {@code action} on the context and mirrors its result into a CompletionStage. */
  private <T> CompletionStage<T> onContext(Supplier<Future<T>> action) {
    CompletableFuture<T> result = new CompletableFuture<>();
    context.runOnContext(
        v -> {
          Future<T> f;
          try {
            f = action.get();
          } catch (RuntimeException e) {
            f = Future.failedFuture(e);
          }
          f.onComplete(
              ar -> {
                if (ar.succeeded()) {
                  result.complete(ar.result());
                } else {
                  result.completeExceptionally(ar.cause());
                }
              });
        });
    return result;
  }
}
