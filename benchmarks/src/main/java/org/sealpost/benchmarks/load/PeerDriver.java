package org.sealpost.benchmarks.load;

/**
 * One system under test, as the workloads see it: sender connections that hand a message to the
 * system, and recipient sessions that receive, acknowledge and delete.
 *
 * <p>Recipients are numbered {@code 0..recipients-1} and senders {@code 0..senders-1}; the start
 * script of the peer has made the accounts. Every method may block; the harness calls them from its
 * own threads.
 */
public interface PeerDriver extends AutoCloseable {

  /** Name, version, what "accepted" means and the durability configured. */
  PeerDescription description();

  /**
   * Creates the per-recipient queue state (streams, consumers, mailboxes) for recipients {@code
   * 0..recipients-1} before anything is sent to them; nobody is subscribed afterwards. Not timed.
   * Called again with a larger count before a later workload; queues that exist are kept.
   */
  void prepareQueues(int recipients) throws Exception;

  /**
   * Client work that can be done before sending, so that it does not compete with the peer for the
   * cores during a timed phase: room for {@code perRecipient} messages in flight to each of
   * recipients {@code 0..recipients-1} (Sealpost seals envelopes here; the other peers have nothing
   * to do). Not timed. Called before each workload with what it needs.
   */
  default void prepareMessages(int recipients, int perRecipient) throws Exception {}

  /** Opens sender connection {@code index}. */
  PeerSender openSender(int index) throws Exception;

  /**
   * Connects recipient {@code recipient}, subscribes, and from then on passes every message to
   * {@code listener}; the driver acknowledges / deletes each message once the listener returns.
   * Messages stored while the recipient was away are delivered too. Returns once subscribed.
   */
  RecipientSession openRecipient(int recipient, DeliveryListener listener) throws Exception;

  @Override
  void close();
}
