package org.sealpost.client;

/**
 * Receives the deliveries of a mailbox subscribed with {@link
 * RelayConnection#subscribeSealed(Mailbox, SealedMessageHandler)}: the sender's sealed envelope,
 * not yet opened. Called on the connection's event loop, one call at a time per connection: do not
 * block in it. A delivery is acknowledged after {@link #onSealed} returns normally; if it throws,
 * the relay delivers it again on a later subscription.
 */
@FunctionalInterface
public interface SealedMessageHandler {
  /**
   * @param envelope exactly the relay's envelope size E; open it with {@link
   *     org.sealpost.proto.crypto.SealedEnvelope#open} and {@link Mailbox#sealingKey()}
   */
  void onSealed(Mailbox mailbox, byte[] envelope);

  /** See {@link MessageHandler#onEnd(Mailbox)}. */
  default void onEnd(Mailbox mailbox) {}

  /** See {@link MessageHandler#onQuotaReached(Mailbox)}. */
  default void onQuotaReached(Mailbox mailbox) {}

  /** See {@link MessageHandler#onSubscriptionFailed(Mailbox, SealpostException)}. */
  default void onSubscriptionFailed(Mailbox mailbox, SealpostException problem) {}

  /**
   * A delivery whose delivery layer did not decrypt (dropped and acknowledged), with the reason.
   */
  default void onUnreadable(Mailbox mailbox, SealpostException problem) {}
}
