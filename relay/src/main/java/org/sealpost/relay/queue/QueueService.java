package org.sealpost.relay.queue;

import java.util.List;
import java.util.concurrent.CompletionStage;
import org.sealpost.mailbox.MessageId;
import org.sealpost.mailbox.QueueId;
import org.sealpost.mailbox.StoredEnvelope;

/**
 * The command path: "execute this command for this queue" (DESIGN §7). Sessions call only this
 * interface; {@link LocalQueueService} runs the commands against the local store, and a cluster
 * adds an implementation that forwards them to the node owning the queue.
 *
 * <p>Every method returns at once. Stages complete on the implementation's threads, never on the
 * caller's event loop: callers hop back to their own context before touching session state.
 * Failures are a {@link QueueException} (a protocol error code) or an exception that {@code
 * ErrorMapper} maps (a storage failure, or INTERNAL for anything unexpected).
 *
 * <p>Equal-time failures (DESIGN invariant 7): {@link #authorize} and {@link #send} do the same
 * work whether or not the ID names a queue, and fail with the same {@code AUTH} code.
 */
public interface QueueService {
  /**
   * CreateQueue: a fresh queue for the recipient's X25519 public key. The per-queue key agreement
   * runs here, once; later commands use only the two symmetric keys it derives.
   *
   * @param recipientDhPublic the recipient's 32-byte X25519 public key for this queue
   */
  CompletionStage<CreatedQueue> create(byte[] recipientDhPublic);

  /**
   * Verifies a recipient command: looks the queue up by recipient ID and checks {@code mac =
   * HMAC(mac_key, h ‖ recipient_id ‖ command)} over the exact received bytes. Fails with {@code
   * AUTH} for an unknown queue and for a bad MAC alike, after the same work.
   */
  CompletionStage<AuthorizedQueue> authorize(
      byte[] recipientId, byte[] handshakeHash, byte[] command, byte[] mac);

  /** SecureQueue: registers the queue's 16-byte send token. */
  CompletionStage<Void> secure(QueueId queue, byte[] sendToken);

  /**
   * Send: stores an envelope in the queue with this sender ID; completes once it is durable, and
   * only then tells the queue's subscriber. A secured queue needs its token ({@code null} when the
   * Send carries none). Fails with {@code AUTH} for an unknown sender ID and a wrong or missing
   * token alike, with {@code QUOTA} when the queue is full (its subscriber is then told).
   */
  CompletionStage<Void> send(byte[] senderId, byte[] envelope, byte[] sendToken);

  /**
   * Up to {@code maxCount} pending envelopes after {@code afterPosition} (0 for the head), in
   * append order: for subscription pushes and for Get.
   */
  CompletionStage<List<StoredEnvelope>> readPending(
      QueueId queue, long afterPosition, int maxCount);

  /** Whether the queue is at its quota, so Sends to it are refused (told to a new subscriber). */
  CompletionStage<Boolean> isFull(QueueId queue);

  /** Ack: deletes a delivered envelope; {@code false} if it was already gone (acked or expired). */
  CompletionStage<Boolean> ack(QueueId queue, MessageId messageId);

  /** DeleteQueue: deletes the queue and every envelope in it. */
  CompletionStage<Void> delete(QueueId queue);
}
