package org.sealpost.client;

/**
 * Receives the messages of a subscribed mailbox. Called on the connection's event loop, one call at
 * a time per connection: do not block in it (hand long work to another thread).
 *
 * <p>A message is acknowledged — deleted on the relay — after {@link #onMessage} returns normally;
 * if it throws, the message is not acknowledged and the relay delivers it again on a later
 * subscription. Delivery is at least once, but duplicates are dropped by envelope ID before they
 * reach the handler.
 */
@FunctionalInterface
public interface MessageHandler {
  void onMessage(ReceivedMessage message);

  /**
   * The mailbox was subscribed from another session (another device or process): this connection no
   * longer receives it and will not resubscribe it.
   */
  default void onEnd(Mailbox mailbox) {}

  /** The mailbox is full: senders now get {@link ClientError#QUEUE_FULL} until it is drained. */
  default void onQuotaReached(Mailbox mailbox) {}

  /**
   * A resubscription after a reconnect was refused (the queue was deleted or expired: {@link
   * ClientError#AUTH}, or a session limit): the mailbox is no longer subscribed on this connection.
   */
  default void onSubscriptionFailed(Mailbox mailbox, SealpostException problem) {}

  /** A delivery could not be opened (dropped and acknowledged), with the reason. */
  default void onUnreadable(Mailbox mailbox, SealpostException problem) {}
}
