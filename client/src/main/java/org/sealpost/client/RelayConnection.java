package org.sealpost.client;

import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.sealpost.proto.address.MailboxAddress;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.proto.crypto.X25519KeyPair;

/**
 * A session with one relay: one WebSocket carrying one Noise NK session that pins the relay's key.
 * Methods are safe to call from any thread; their stages complete on the connection's event loop.
 * Commands issued together are pipelined and share blocks.
 *
 * <p>When the connection drops while it has subscriptions, it reconnects by itself (with back-off,
 * if {@link ClientOptions#reconnect()}) and resubscribes every mailbox in one batch. Commands in
 * flight at the moment of the loss fail with {@link ClientError#CONNECTION_LOST}; a new command
 * reconnects.
 *
 * <p>Everything sent on one connection is linkable by the relay (same session, same IP). Open
 * separate connections with {@link SealpostClient#connect} to keep mailboxes or contacts apart.
 */
public interface RelayConnection extends AutoCloseable {
  /**
   * The relay this connection talks to. issue 12: after the relay announced a successor key ({@link
   * SealpostClient#onRelayKeyChange}), the address with the successor, which every later session
   * pins; mailboxes and addresses with the previous key are still accepted here.
   */
  RelayAddress relay();

  /** Connects if needed and returns what the relay announced for the current session. */
  CompletionStage<RelayInfo> info();

  /** Creates a queue: fresh per-queue and sealing key pairs, CreateQueue, derived queue keys. */
  CompletionStage<Mailbox> createMailbox();

  /** Creates a queue on a relay that requires an operator creation token. */
  CompletionStage<Mailbox> createMailbox(byte[] creationToken);

  /**
   * Registers a fresh random 16-byte send token (SecureQueue): from now on only holders of the
   * returned mailbox's {@link Mailbox#address() address} can send to it.
   */
  CompletionStage<Mailbox> secure(Mailbox mailbox);

  /**
   * Seals {@code content} from {@code senderIdentity} to the address's sealing key (exactly E
   * bytes) and sends it. Completes once the relay has stored it durably; fails with {@link
   * ClientError#QUEUE_FULL} when the mailbox is full, {@link ClientError#TOO_LARGE} when the
   * content exceeds the envelope capacity.
   */
  CompletionStage<Void> send(MailboxAddress to, byte[] content, X25519KeyPair senderIdentity);

  /**
   * Sends an envelope sealed beforehand with {@link org.sealpost.proto.crypto.SealedEnvelope#seal}
   * to the address's sealing key, at the relay's envelope size ({@link RelayInfo#envelopeSize()}).
   * For senders that seal ahead of time (while offline, or to keep public-key work off a
   * latency-sensitive path) and for retries: a retried envelope carries the same envelope ID, so
   * the recipient drops the second copy. The relay cannot tell it from any other Send. Completes
   * once the relay has stored it durably.
   *
   * @return fails with {@link ClientError#BAD_ENVELOPE} when the envelope is not exactly E bytes,
   *     and otherwise like {@link #send}
   */
  CompletionStage<Void> sendSealed(MailboxAddress to, byte[] envelope);

  // issue 11: two-hop sending
  /**
   * Two-hop send (protocol §9): seals {@code content} to the address's sealing key (E of the
   * address's relay), seals the Send to the destination relay's static key, and hands it to
   * <em>this</em> connection's relay as a {@code Forward}. This relay learns this client's address
   * and the destination relay, not the mailbox; the destination learns the mailbox, not this
   * client's address. Completes once the destination has stored the message durably.
   *
   * @return fails with {@link ClientError#FORWARD_REFUSED} when this relay does not forward, {@link
   *     ClientError#FORWARD_UNREACHABLE} when it cannot reach the destination, and otherwise like
   *     {@link #send}
   * @throws IllegalArgumentException if the address names this connection's own relay
   */
  CompletionStage<Void> forward(MailboxAddress to, byte[] content, X25519KeyPair senderIdentity);

  /** Two-hop send of an envelope sealed beforehand (E bytes of the address's relay). */
  CompletionStage<Void> forwardSealed(MailboxAddress to, byte[] envelope);

  /**
   * Subscribes: pending and future messages are pushed to {@code handler} and acknowledged after it
   * returns. A second subscription from any session moves the mailbox there ({@link
   * MessageHandler#onEnd}).
   */
  CompletionStage<Void> subscribe(Mailbox mailbox, MessageHandler handler);

  /**
   * Subscribes without opening: each delivery is decrypted from the relay's per-queue delivery
   * layer and handed over still sealed, as the exact E-byte envelope the sender produced, then
   * acknowledged after the handler returns. For deferred or delegated opening: store the envelopes,
   * or pass them to the process or device that holds {@link Mailbox#sealingKey()} and opens them
   * with {@link org.sealpost.proto.crypto.SealedEnvelope#open}. Duplicates are <em>not</em> dropped
   * here (the envelope ID is inside the sealed layer): whoever opens them drops repeats by ID. A
   * delivery whose delivery layer does not decrypt goes to {@link
   * SealedMessageHandler#onUnreadable} and is acknowledged.
   */
  CompletionStage<Void> subscribeSealed(Mailbox mailbox, SealedMessageHandler handler);

  /**
   * Takes one message without subscribing: the handler runs, then the message is acknowledged. The
   * relay refuses a Get ({@link ClientError#PROHIBITED}) for a mailbox subscribed on the same
   * connection: its messages are pushed instead.
   *
   * @return true if a message was taken (a dropped duplicate counts), false if none was pending
   */
  CompletionStage<Boolean> get(Mailbox mailbox, MessageHandler handler);

  /** Like {@link #get(Mailbox, MessageHandler)}, returning the message instead. */
  CompletionStage<Optional<ReceivedMessage>> get(Mailbox mailbox);

  /** Deletes the queue and everything in it. */
  CompletionStage<Void> delete(Mailbox mailbox);

  /** A Ping answered by a Pong. */
  CompletionStage<Void> ping();

  /** Mailboxes subscribed on this connection (they are resubscribed after a reconnect). */
  int subscriptions();

  /**
   * Completes after the next successful (re)connection whose resubscriptions were answered. While
   * the connection has subscriptions and reconnects by itself ({@link ClientOptions#reconnect()}),
   * a failed attempt does not fail it: it waits for the attempt that succeeds, however long the
   * relay stays away (bound the wait yourself), and fails with {@link ClientError#CLOSED} if the
   * connection is closed first. Without subscriptions or without reconnecting it makes one attempt
   * and fails with that attempt's error.
   */
  CompletionStage<Void> whenSubscribed();

  /** Closes the connection; pending commands fail with {@link ClientError#CLOSED}. */
  @Override
  void close();
}
