package org.sealpost.mailbox;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Durable per-recipient queues of opaque envelopes. Every method is thread-safe and returns at
 * once; work happens on the store's own threads and failures arrive as a {@link MailboxException}
 * in the returned stage. Write stages (create, secure, append, ack, delete) complete on the store's
 * completion thread, in submission order, only after the write is durable under the configured
 * {@link SyncPolicy}; callers hop to their own context before doing more than trivial work.
 *
 * <p>Delivery is at least once: an ack that had not completed before a crash may be lost, so an
 * envelope can be read again; an append that completed is never lost and never duplicated.
 */
public interface MailboxStore extends AutoCloseable {
  /** Position before the first envelope of any queue, for {@link #readPending}. */
  long START = 0L;

  /**
   * issue 12: the store format this code writes; it also reads every earlier one and marks the
   * store with this one at open (docs/operations.md, "Upgrading").
   */
  int FORMAT = 2;

  /** Creates a queue with fresh random recipient and sender IDs. */
  CompletionStage<QueueRecord> createQueue(QueueSecrets secrets);

  /**
   * Looks a queue up by its recipient ID. A missing ID costs about the same work as a present one
   * (the ID is found by a seek, which no bloom filter shortcuts; a miss reads and decrypts a dummy
   * record).
   */
  CompletionStage<Optional<QueueRecord>> findByRecipientId(byte[] recipientId);

  /**
   * Looks a queue up by its sender ID, with the same uniform cost as {@link #findByRecipientId}.
   */
  CompletionStage<Optional<QueueRecord>> findBySenderId(byte[] senderId);

  /**
   * Looks {@code id} up at one cost whether or not it exists (design invariant 7), in one store
   * task: the ID is found by a seek, which no bloom filter shortcuts and which copies out the entry
   * it lands on whether or not it is the ID; then one queue record is read, decrypted and decoded —
   * the found queue's, or on a miss the record of the queue whose index entry the seek landed on (a
   * real queue at a random place, as likely to be cached as a hit's). Only when the seek runs past
   * the last entry is {@code decoy}, a queue the caller keeps for this, read instead (a dummy
   * record when it is null or gone). A hit and a miss therefore do the same reads of present keys
   * and the same decryption.
   */
  CompletionStage<BalancedLookup> lookupBalanced(IdKind kind, byte[] id, QueueId decoy);

  /**
   * Registers the queue's send token (16 bytes). Idempotent for the same token; a different token
   * on a secured queue fails with {@code ALREADY_SECURED}.
   */
  CompletionStage<QueueRecord> secureQueue(QueueId queue, byte[] sendToken);

  /** Appends an envelope; completes once it is durable, with its new random message ID. */
  default CompletionStage<Appended> append(QueueId queue, byte[] envelope) {
    return append(queue, envelope, 0);
  }

  /**
   * Appends an envelope that becomes deliverable at {@code notBefore} (epoch milliseconds; 0 for at
   * once). The store keeps that time with the envelope, as durably as the envelope, and hands it
   * back in {@link StoredEnvelope#notBefore()}; reads return the envelope either way, and the
   * caller decides what is deliverable (issue 10: delivery delay).
   */
  CompletionStage<Appended> append(QueueId queue, byte[] envelope, long notBefore);

  /**
   * As {@link #append(QueueId, byte[], long)}, and once the envelope is durable hands it to {@code
   * onDurable} (as a read would return it; the array is the caller's {@code envelope}) on the
   * store's completion thread, <em>in commit order</em> and before the returned stage completes. A
   * callback attached to the stage cannot promise that order: the stage may already be complete
   * when it is attached, and the callback then runs on the attaching thread, after later appends'
   * (issue 14: a cluster node's copy of a queue's tail relies on the order). {@code onDurable} must
   * be quick and must not throw; it is not called for an append that failed.
   */
  CompletionStage<Appended> append(
      QueueId queue, byte[] envelope, long notBefore, Consumer<StoredEnvelope> onDurable);

  /**
   * Reads up to {@code maxCount} pending, unexpired envelopes with a position greater than {@code
   * afterPosition} ({@link #START} for the head), in append order. {@code maxCount} is capped by
   * the configured page size. A read may be answered from memory, in which case the stage is
   * already complete when this method returns (on the caller's thread).
   */
  CompletionStage<List<StoredEnvelope>> readPending(
      QueueId queue, long afterPosition, int maxCount);

  /**
   * Deletes one pending envelope. Completes with {@code true} once the deletion is durable, {@code
   * false} if no pending envelope has this ID (already acked or expired).
   */
  CompletionStage<Boolean> ack(QueueId queue, MessageId messageId);

  /**
   * Whether the queue is at its quota: it holds the configured number of envelopes, or one more
   * envelope of the configured maximum size would exceed its byte quota. The relay uses it to tell
   * a recipient who subscribes to a full queue that senders are being refused. Reads only the small
   * {@code keys} family.
   */
  CompletionStage<Boolean> isFull(QueueId queue);

  /** Deletes the queue, its IDs and every envelope in it. */
  CompletionStage<Void> deleteQueue(QueueId queue);

  /**
   * Runs an expiry sweep now (the store also runs it on a schedule): envelopes past their TTL and
   * queues idle too long are deleted. Its cost is proportional to what expires.
   */
  CompletionStage<ExpiryReport> expire();

  /** Aggregate statistics. */
  CompletionStage<MailboxStats> stats();

  /**
   * Unexpected failures so far: bugs (an exception the store did not expect), each failed as {@code
   * STORAGE} and logged by exception class. An aggregate count for metrics; 0 for a store that does
   * not count them.
   */
  default long internalErrors() {
    return 0;
  }

  // issue 12: online backup
  /**
   * Writes a consistent snapshot of the store's database into {@code target}, which must not exist
   * (its parent must): openable by this store with the same master key file, while the store keeps
   * serving. Blocking (flushes and syncs files): call it from a worker thread.
   *
   * @throws MailboxException {@code STORAGE} if the snapshot cannot be written, {@code CLOSED}
   * @throws UnsupportedOperationException if this store cannot make snapshots
   */
  default void checkpoint(java.nio.file.Path target) {
    throw new UnsupportedOperationException("this store makes no snapshots");
  }

  /**
   * Sets the one observer told, in nanoseconds, how long each durable commit took (for a
   * write-ahead-log store: the batch write and its fsync). Aggregate only: one figure per commit,
   * whatever queues it held. Called on the store's writer thread: it must be quick. No-op for a
   * store without commits to measure.
   */
  default void observeCommits(java.util.function.LongConsumer syncNanos) {}

  /**
   * Stops accepting work, finishes writes already submitted, and releases every resource.
   * Idempotent.
   */
  @Override
  void close();
}
