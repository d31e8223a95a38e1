package org.sealpost.relay.delivery;

import com.google.protobuf.ByteString;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.sealpost.mailbox.MessageId;
import org.sealpost.mailbox.QueueId;

/**
 * What one session knows about one queue it subscribed to or read with Get. Lives on the session's
 * context only; its state belongs to {@link SessionDelivery}.
 */
public final class QueueBinding {
  final QueueId queueId;
  final ByteString recipientId;
  final byte[] recipientIdBytes;
  final byte[] deliveryKey;

  /** Bound to this session in the registry: pushes flow. */
  boolean subscribed;

  /** Read with Get in this session: Acks are allowed. */
  boolean fetched;

  /** Pushed and not yet acknowledged: never more than the window. */
  final Set<MessageId> inFlight = new HashSet<>();

  /** What was pushed in this session: nothing pushed is pushed again while it is in flight. */
  final DeliveryCursor cursor = new DeliveryCursor();

  /** The timer that pushes again when a held-back envelope matures (issue 10), or -1. */
  long wakeTimer = -1;

  /** When {@link #wakeTimer} fires, in epoch milliseconds. */
  long wakeTimerAt = Long.MAX_VALUE;

  /** Waiting for a round of timed batches (issue 10). */
  boolean awaitingRound;

  /** A read for pushes is in flight. */
  boolean reading;

  /** A pump is queued until the session has output room. */
  boolean waitingForRoom;

  /** A notification arrived during the read: read again when it completes. */
  boolean dirty;

  /** QuotaReached was pushed and no Ack has freed room since. */
  boolean quotaNotified;

  /** Subscribed, and the first read has not yet shown whether the queue could be full. */
  boolean fullnessUnknown;

  /** The store's handle of the queue. */
  public QueueId queueId() {
    return queueId;
  }

  QueueBinding(QueueId queueId, byte[] recipientId, byte[] deliveryKey) {
    this.queueId = queueId;
    this.recipientIdBytes = recipientId.clone();
    this.recipientId = ByteString.copyFrom(recipientId);
    this.deliveryKey = deliveryKey.clone();
  }

  /** Forgets what was pushed: after an eviction the next subscription starts from the head. */
  void resetDelivery() {
    inFlight.clear();
    cursor.reset();
    dirty = false;
    quotaNotified = false;
  }

  void destroy() {
    Arrays.fill(deliveryKey, (byte) 0);
  }
}
