package org.sealpost.lab.operator;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.sealpost.lab.operator.OperatorLog.Kind;
import org.sealpost.mailbox.MessageId;
import org.sealpost.mailbox.QueueId;
import org.sealpost.mailbox.StoredEnvelope;
import org.sealpost.relay.queue.AuthorizedQueue;
import org.sealpost.relay.queue.CreatedQueue;
import org.sealpost.relay.queue.QueueService;

/**
 * The real command path, unchanged, with a curious operator reading along: every call is passed to
 * the delegate and what the operator could note (which connection, which queue, when) goes to the
 * {@link OperatorLog}. The connection is the one whose block is being handled on this thread
 * ({@link RecordingSessionHandlerFactory} sets it).
 */
final class RecordingQueueService implements QueueService {
  private static final HexFormat HEX = HexFormat.of();

  private final QueueService delegate;
  private final OperatorLog log;
  private final LongSupplier currentConnection;

  /** Internal queue ID → recipient ID, learnt from authorizations (as an operator could). */
  private final Map<QueueId, String> recipientIds = new ConcurrentHashMap<>();

  RecordingQueueService(QueueService delegate, OperatorLog log, LongSupplier currentConnection) {
    this.delegate = delegate;
    this.log = log;
    this.currentConnection = currentConnection;
  }

  @Override
  public CompletionStage<CreatedQueue> create(byte[] recipientDhPublic) {
    long connection = currentConnection.getAsLong();
    return delegate
        .create(recipientDhPublic)
        .whenComplete(
            (created, failure) -> {
              if (created != null) {
                log.record(
                    Kind.CREATE,
                    connection,
                    HEX.formatHex(created.recipientId()),
                    HEX.formatHex(created.senderId()));
              }
            });
  }

  @Override
  public CompletionStage<AuthorizedQueue> authorize(
      byte[] recipientId, byte[] handshakeHash, byte[] command, byte[] mac) {
    long connection = currentConnection.getAsLong();
    String recipient = HEX.formatHex(recipientId);
    return delegate
        .authorize(recipientId, handshakeHash, command, mac)
        .whenComplete(
            (queue, failure) -> {
              if (queue != null) {
                recipientIds.put(queue.queueId(), recipient);
                log.record(Kind.AUTHORIZE, connection, recipient, "-");
              }
            });
  }

  @Override
  public CompletionStage<Void> secure(QueueId queue, byte[] sendToken) {
    return delegate.secure(queue, sendToken);
  }

  @Override
  public CompletionStage<Void> send(byte[] senderId, byte[] envelope, byte[] sendToken) {
    long connection = currentConnection.getAsLong();
    log.record(Kind.SEND, connection, HEX.formatHex(senderId), "-");
    return delegate.send(senderId, envelope, sendToken);
  }

  @Override
  public CompletionStage<List<StoredEnvelope>> readPending(
      QueueId queue, long afterPosition, int maxCount) {
    // pushes are started by store notifications, outside a block: usually no connection here
    long connection = currentConnection.getAsLong();
    return delegate
        .readPending(queue, afterPosition, maxCount)
        .whenComplete(
            (envelopes, failure) -> {
              if (envelopes != null && !envelopes.isEmpty()) {
                log.record(
                    Kind.PUSH,
                    connection,
                    recipientIds.getOrDefault(queue, "?"),
                    Integer.toString(envelopes.size()));
              }
            });
  }

  @Override
  public CompletionStage<Boolean> isFull(QueueId queue) {
    return delegate.isFull(queue);
  }

  @Override
  public CompletionStage<Boolean> ack(QueueId queue, MessageId messageId) {
    return delegate.ack(queue, messageId);
  }

  @Override
  public CompletionStage<Void> delete(QueueId queue) {
    return delegate.delete(queue);
  }
}
