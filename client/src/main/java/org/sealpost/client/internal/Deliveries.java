package org.sealpost.client.internal;

import io.vertx.core.Future;
import org.sealpost.client.ClientError;
import org.sealpost.client.Mailbox;
import org.sealpost.client.MessageHandler;
import org.sealpost.client.ReceivedMessage;
import org.sealpost.client.SealedMessageHandler;
import org.sealpost.client.SealpostException;
import org.sealpost.proto.crypto.CryptoException;
import org.sealpost.proto.crypto.DeliveryCipher;
import org.sealpost.proto.crypto.SealedEnvelope;
import org.sealpost.proto.v1.Frame;
import org.sealpost.proto.v1.Message;

/**
 * What arrives for the recipient: pushes to subscriptions (Message, End, QuotaReached) and Get
 * replies. A delivery is opened, handed over unless it is a duplicate, and acknowledged after the
 * handler returned; a handler that throws leaves it unacknowledged, so the relay delivers it again.
 */
final class Deliveries {
  private final Subscriptions subscriptions;
  private final DuplicateFilter duplicates;

  /**
   * @param duplicates the client-wide memory of delivered envelope IDs
   */
  Deliveries(Subscriptions subscriptions, DuplicateFilter duplicates) {
    this.subscriptions = subscriptions;
    this.duplicates = duplicates;
  }

  /** A handler for {@link Subscriptions} whose deliveries are handed over still sealed. */
  static MessageHandler sealed(SealedMessageHandler target) {
    return new SealedDelivery(target);
  }

  /** A frame the relay pushed on session {@code s}. */
  void onPush(CommandChannel s, Frame frame) {
    switch (frame.getBodyCase()) {
      case MESSAGE -> {
        Message m = frame.getMessage();
        Subscriptions.Subscription sub = subscriptions.get(m.getRecipientId().toByteArray());
        if (sub != null) {
          deliver(s, sub.mailbox(), sub.handler(), m, false);
        }
      }
      case END -> {
        Subscriptions.Subscription sub =
            subscriptions.remove(frame.getEnd().getRecipientId().toByteArray());
        if (sub != null) {
          sub.handler().onEnd(sub.mailbox());
        }
      }
      case QUOTA_REACHED -> {
        Subscriptions.Subscription sub =
            subscriptions.get(frame.getQuotaReached().getRecipientId().toByteArray());
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
   * @return for a Get, completes when its (answered) Ack is answered; for a push, once the
   *     unanswered Ack is queued; at once when nothing is acknowledged
   */
  Future<Void> deliver(
      CommandChannel s, Mailbox mailbox, MessageHandler handler, Message m, boolean rethrow) {
    int envelopeSize = s.info().envelopeSize();
    byte[] messageId = m.getMessageId().toByteArray();
    ReceivedMessage received;
    try {
      byte[] envelope =
          new DeliveryCipher(envelopeSize)
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
          new SealedEnvelope(envelopeSize).open(mailbox.sealingKey(), envelope);
      received =
          new ReceivedMessage(
              mailbox, opened.senderIdentityKey(), opened.content(), opened.envelopeId());
    } catch (CryptoException e) {
      Future<Void> acked = ack(s, mailbox, messageId, rethrow);
      handler.onUnreadable(
          mailbox,
          new SealpostException(
              ClientError.UNREADABLE_ENVELOPE,
              "a delivery could not be opened (" + e.reason() + ") and was dropped",
              e));
      return acked;
    }
    if (duplicates.seen(received.envelopeId())) {
      return ack(s, mailbox, messageId, rethrow);
    }
    try {
      handler.onMessage(received);
    } catch (RuntimeException e) {
      // not acknowledged: the relay delivers it again on a later subscription
      return rethrow ? Future.failedFuture(e) : Future.succeededFuture();
    }
    duplicates.remember(received.envelopeId());
    return ack(s, mailbox, messageId, rethrow);
  }

  // a Get (rethrow) waits for its Ack's answer; a push's Ack goes unanswered (issue 13)
  private static Future<Void> ack(
      CommandChannel s, Mailbox mailbox, byte[] messageId, boolean get) {
    return get ? Commands.ackAnswered(s, mailbox, messageId) : Commands.ack(s, mailbox, messageId);
  }

  private static Future<Void> handOverSealed(
      CommandChannel s,
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
    return Commands.ack(s, mailbox, messageId);
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
}
