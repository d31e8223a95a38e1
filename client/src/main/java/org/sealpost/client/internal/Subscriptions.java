package org.sealpost.client.internal;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.sealpost.client.ClientError;
import org.sealpost.client.Mailbox;
import org.sealpost.client.MessageHandler;
import org.sealpost.client.SealpostException;

/**
 * The mailboxes subscribed on one connection and their handlers, which outlive any one session:
 * after a reconnect {@link #resubscribeAll} sends every Subscribe in one event-loop task, so they
 * leave in as few blocks as they fit. Confined to the connection's context, except {@link #size}.
 */
final class Subscriptions {
  /** One subscribed mailbox and where its deliveries go. */
  record Subscription(Mailbox mailbox, MessageHandler handler) {}

  // written on the context only; concurrent so that size() may be read anywhere
  private final Map<ByteBuffer, Subscription> byRecipient = new ConcurrentHashMap<>();
  private Promise<Void> resubscribed = Promise.promise();

  /**
   * Subscribes on {@code s}. The handler is registered before the command leaves, so pushes that
   * follow the Ok in the same block find it; a refused subscription is forgotten again.
   */
  Future<Void> subscribe(CommandChannel s, Mailbox mailbox, MessageHandler handler) {
    Subscription sub = new Subscription(mailbox, handler);
    ByteBuffer key = key(mailbox.recipientId());
    byRecipient.put(key, sub);
    return Commands.subscribe(s, mailbox).onFailure(e -> byRecipient.remove(key, sub));
  }

  /**
   * Subscribes every mailbox again on a new session, all in this task. A mailbox the relay refuses
   * (AUTH: deleted or expired) is dropped and its handler told; one that failed because the session
   * ended or timed out stays for the next try. {@link #whenResubscribed} completes once all were
   * answered.
   */
  void resubscribeAll(CommandChannel s) {
    if (byRecipient.isEmpty()) {
      resubscribed.tryComplete();
      return;
    }
    List<Future<Void>> all = new ArrayList<>();
    for (Subscription sub : new ArrayList<>(byRecipient.values())) {
      all.add(Commands.subscribe(s, sub.mailbox()).onFailure(e -> refused(sub, e)));
    }
    Promise<Void> current = resubscribed;
    Future.join(all).onComplete(ar -> current.tryComplete());
  }

  private void refused(Subscription sub, Throwable e) {
    if (e instanceof SealpostException se
        && se.error() != ClientError.CONNECTION_LOST
        && se.error() != ClientError.CLOSED
        && se.error() != ClientError.TIMEOUT
        && byRecipient.remove(key(sub.mailbox().recipientId()), sub)) {
      sub.handler().onSubscriptionFailed(sub.mailbox(), se);
    }
  }

  /** The session ended: the next {@link #resubscribeAll} starts a new round. */
  void sessionEnded() {
    if (resubscribed.future().isComplete()) {
      resubscribed = Promise.promise();
    }
  }

  /** Completes once the current (or next) round of resubscriptions was answered. */
  Future<Void> whenResubscribed() {
    return resubscribed.future();
  }

  /** The connection was closed: whoever waits for a round of resubscriptions is told so. */
  void closed(Throwable cause) {
    resubscribed.tryFail(cause);
  }

  Subscription get(byte[] recipientId) {
    return byRecipient.get(key(recipientId));
  }

  Subscription remove(byte[] recipientId) {
    return byRecipient.remove(key(recipientId));
  }

  boolean isEmpty() {
    return byRecipient.isEmpty();
  }

  int size() {
    return byRecipient.size();
  }

  void clear() {
    byRecipient.clear();
  }

  private static ByteBuffer key(byte[] recipientId) {
    return ByteBuffer.wrap(recipientId);
  }
}
