package org.sealpost.client.internal;

import com.google.protobuf.ByteString;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.sealpost.client.ClientError;
import org.sealpost.client.ClientOptions;
import org.sealpost.client.Mailbox;
import org.sealpost.client.MessageHandler;
import org.sealpost.client.ReceivedMessage;
import org.sealpost.client.RelayConnection;
import org.sealpost.client.RelayInfo;
import org.sealpost.client.RelayKeyChange;
import org.sealpost.client.SealedMessageHandler;
import org.sealpost.client.SealpostException;
import org.sealpost.proto.address.MailboxAddress;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.proto.crypto.SendToken;
import org.sealpost.proto.crypto.X25519KeyPair;
import org.sealpost.proto.v1.DeleteQueue;
import org.sealpost.proto.v1.Frame;
import org.sealpost.proto.v1.Get;
import org.sealpost.proto.v1.Ping;
import org.sealpost.proto.v1.RecipientOp;
import org.sealpost.proto.v1.SecureQueue;

/**
 * A {@link RelayConnection}: builds each command and hands it to the current session, which the
 * {@link SessionKeeper} opens (and reopens after a loss) on demand. {@link Subscriptions} outlive
 * sessions and are resubscribed in one batch after a reconnect; {@link Deliveries} opens what
 * arrives and acknowledges it. All state is confined to one Vert.x context; public methods hop onto
 * it.
 */
public final class ManagedConnection implements RelayConnection {
  private final Context context;
  // issue 12: the pinned address; an announced successor replaces it, the previous one stays
  // accepted for mailboxes and addresses the application has not updated yet
  private volatile RelayAddress relay;
  private volatile RelayAddress previous;
  private volatile Consumer<RelayKeyChange> keyChanges = change -> {};
  private final ClientOptions options;
  private final Runnable onClose;
  private final Subscriptions subscriptions = new Subscriptions();
  private final Deliveries deliveries;
  private final SessionKeeper keeper;
  // issue 10: client-side timing defences
  private final Vertx vertx;
  private final TimingDraws draws;
  private final LoopCover loopCover;
  private boolean closed;

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
    this(vertx, client, context, relay, options, duplicates, onClose, null);
  }

  /**
   * issue 11: a connection whose sessions reach {@code relay} through a circuit on the first relay
   * {@code via} (protocol §11), so that {@code relay} never sees this client's address; {@code via}
   * null connects directly. Reconnects open a new circuit through the same first relay.
   */
  public ManagedConnection(
      Vertx vertx,
      WebSocketClient client,
      Context context,
      RelayAddress relay,
      ClientOptions options,
      DuplicateFilter duplicates,
      Runnable onClose,
      RelayAddress via) {
    this.context = Objects.requireNonNull(context, "context");
    this.relay = Objects.requireNonNull(relay, "relay");
    this.options = Objects.requireNonNull(options, "options");
    this.onClose = Objects.requireNonNull(onClose, "onClose");
    this.deliveries =
        new Deliveries(subscriptions, Objects.requireNonNull(duplicates, "duplicates"));
    this.keeper =
        new SessionKeeper(
            Objects.requireNonNull(vertx, "vertx"),
            Objects.requireNonNull(client, "client"),
            context,
            relay,
            options,
            new SessionKeeper.Events() {
              @Override
              public void opened(ClientSession s) {
                s.keyChange().ifPresent(ManagedConnection.this::repin);
                subscriptions.resubscribeAll(s);
              }

              @Override
              public void push(ClientSession s, Frame frame) {
                deliveries.onPush(s, frame);
              }

              @Override
              public void ended() {
                subscriptions.sessionEnded();
              }
            },
            () -> !subscriptions.isEmpty(),
            via);
    this.vertx = vertx;
    this.draws = new TimingDraws(options.random());
    this.loopCover =
        options
            .loopCoverSetting()
            .map(mean -> new LoopCover(vertx, context, this, mean, options.random()))
            .orElse(null);
    if (loopCover != null) {
      loopCover.start();
    }
  }

  @Override
  public RelayAddress relay() {
    return relay;
  }

  // issue 12: relay-key rotation
  /** Where an announced successor key is reported (once per change), on the context. */
  public ManagedConnection onKeyChange(Consumer<RelayKeyChange> listener) {
    keyChanges = Objects.requireNonNull(listener, "listener");
    return this;
  }

  private void repin(RelayKeyChange change) {
    if (!change.applies(relay)) {
      return; // already moved
    }
    previous = relay;
    relay = change.apply(relay);
    keeper.repin(relay);
    keyChanges.accept(change);
  }

  /** The pinned relay, or the one before an announced successor replaced it. */
  private boolean isThisRelay(RelayAddress address) {
    return address.equals(relay) || address.equals(previous);
  }

  @Override
  public CompletionStage<RelayInfo> info() {
    return onContext(() -> keeper.session().map(ClientSession::info));
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
            keeper
                .session()
                .compose(s -> QueueCreation.create(vertx, s, relay, options.random(), token)));
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
            keeper
                .session()
                .compose(s -> Commands.recipientCommand(s, mailbox, op, "secure mailbox"))
                .map(
                    reply -> {
                      Commands.expectOk(mailbox, "secure mailbox", reply);
                      return mailbox.withSendToken(token);
                    }));
  }

  @Override
  public CompletionStage<Void> send(
      MailboxAddress to, byte[] content, X25519KeyPair senderIdentity) {
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(senderIdentity, "senderIdentity");
    byte[] data = content.clone();
    return sendEnvelope(
        to, info -> Envelopes.seal(info, to, data, senderIdentity, options.random()));
  }

  @Override
  public CompletionStage<Void> sendSealed(MailboxAddress to, byte[] envelope) {
    Objects.requireNonNull(envelope, "envelope");
    ByteString sealed = ByteString.copyFrom(envelope);
    return sendEnvelope(to, info -> Envelopes.checkSealed(info, sealed));
  }

  private CompletionStage<Void> sendEnvelope(
      MailboxAddress to, Function<RelayInfo, ByteString> envelope) {
    Objects.requireNonNull(to, "to");
    if (!isThisRelay(to.relay())) {
      throw new IllegalArgumentException("the mailbox address names another relay");
    }
    long jitter = options.sendJitterSetting().map(draws::uniformMillis).orElse(0L);
    if (jitter <= 0) {
      return onContext(() -> keeper.session().compose(s -> Envelopes.send(s, to, envelope)));
    }
    // send jitter: the Send leaves after its own random wait (issue 10)
    return onContext(
        () -> {
          Promise<Void> sent = Promise.promise();
          vertx.setTimer(
              jitter,
              id ->
                  keeper.session().compose(s -> Envelopes.send(s, to, envelope)).onComplete(sent));
          return sent.future();
        });
  }

  // issue 11: two-hop sending
  @Override
  public CompletionStage<Void> forward(
      MailboxAddress to, byte[] content, X25519KeyPair senderIdentity) {
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(senderIdentity, "senderIdentity");
    byte[] data = content.clone();
    return forwardEnvelope(
        to,
        () ->
            Envelopes.seal(to.relay().envelopeSize(), to, data, senderIdentity, options.random()));
  }

  @Override
  public CompletionStage<Void> forwardSealed(MailboxAddress to, byte[] envelope) {
    Objects.requireNonNull(envelope, "envelope");
    ByteString sealed = ByteString.copyFrom(envelope);
    return forwardEnvelope(to, () -> Envelopes.checkSealed(to.relay().envelopeSize(), sealed));
  }

  private CompletionStage<Void> forwardEnvelope(MailboxAddress to, Supplier<ByteString> envelope) {
    Objects.requireNonNull(to, "to");
    if (isThisRelay(to.relay())) {
      throw new IllegalArgumentException(
          "the first relay must not be the destination: send to it directly");
    }
    return onContext(
        () ->
            keeper
                .session()
                .compose(
                    s ->
                        Forwards.send(
                            s, relay, to, envelope.get(), Clock.systemUTC(), options.random())));
  }

  @Override
  public CompletionStage<Void> subscribeSealed(Mailbox mailbox, SealedMessageHandler handler) {
    return subscribe(mailbox, Deliveries.sealed(Objects.requireNonNull(handler, "handler")));
  }

  @Override
  public CompletionStage<Void> subscribe(Mailbox mailbox, MessageHandler handler) {
    checkRelay(mailbox);
    Objects.requireNonNull(handler, "handler");
    return onContext(
        () -> keeper.session().compose(s -> subscriptions.subscribe(s, mailbox, handler)));
  }

  @Override
  public CompletionStage<Boolean> get(Mailbox mailbox, MessageHandler handler) {
    checkRelay(mailbox);
    Objects.requireNonNull(handler, "handler");
    return onContext(() -> getOnce(mailbox, handler));
  }

  private Future<Boolean> getOnce(Mailbox mailbox, MessageHandler handler) {
    RecipientOp op = RecipientOp.newBuilder().setGet(Get.getDefaultInstance()).build();
    return keeper
        .session()
        .compose(
            s ->
                Commands.recipientCommand(s, mailbox, op, "get")
                    .compose(
                        reply -> {
                          if (reply.hasMessage()) {
                            return deliveries
                                .deliver(s, mailbox, handler, reply.getMessage(), true)
                                .map(true);
                          }
                          Commands.expectOk(mailbox, "get", reply);
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
            keeper
                .session()
                .compose(s -> Commands.recipientCommand(s, mailbox, op, "delete mailbox"))
                .map(
                    reply -> {
                      Commands.expectOk(mailbox, "delete mailbox", reply);
                      subscriptions.remove(mailbox.recipientId());
                      return null;
                    }));
  }

  @Override
  public CompletionStage<Void> ping() {
    return onContext(
        () ->
            keeper
                .session()
                .compose(
                    s -> s.request(Frame.newBuilder().setPing(Ping.getDefaultInstance()), "ping"))
                .map(
                    reply -> {
                      if (!reply.hasPong()) {
                        throw Commands.unexpected(relay.toString(), "ping", reply);
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
    return onContext(
        () -> {
          if (!keeper.reconnecting()) {
            // nothing to resubscribe, or no reconnecting: this attempt is the only one
            return keeper.session().compose(s -> subscriptions.whenResubscribed());
          }
          // a failed attempt is not the end: the keeper tries again with back-off, and the
          // round of resubscriptions completes on the attempt that succeeds (issue 11)
          keeper.session();
          return subscriptions.whenResubscribed();
        });
  }

  @Override
  public void close() {
    context.runOnContext(
        v -> {
          if (closed) {
            return;
          }
          closed = true;
          if (loopCover != null) {
            loopCover.stop();
          }
          onClose.run();
          subscriptions.clear();
          subscriptions.closed(
              new SealpostException(ClientError.CLOSED, "connection to " + relay + " was closed"));
          keeper.close();
        });
  }

  private void checkRelay(Mailbox mailbox) {
    Objects.requireNonNull(mailbox, "mailbox");
    if (!isThisRelay(mailbox.relay())) {
      throw new IllegalArgumentException("the mailbox lives on another relay");
    }
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
