package org.sealpost.client.internal;

import com.google.protobuf.ByteString;
import io.vertx.core.Future;
import org.sealpost.client.ClientError;
import org.sealpost.client.Mailbox;
import org.sealpost.client.SealpostException;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.proto.crypto.RandomSource;
import org.sealpost.proto.crypto.X25519KeyPair;
import org.sealpost.proto.v1.CreateQueue;
import org.sealpost.proto.v1.Frame;
import org.sealpost.proto.v1.QueueCreated;

/** CreateQueue: fresh per-queue and sealing key pairs, and the mailbox the reply makes of them. */
final class QueueCreation {
  private QueueCreation() {}

  /**
   * @param creationToken the operator's creation token, or null when the relay needs none
   * @return fails with {@link ClientError#PROHIBITED} when the relay wants a (different) token
   */
  static Future<Mailbox> create(
      CommandChannel s, RelayAddress relay, RandomSource random, byte[] creationToken) {
    X25519KeyPair queueKey = X25519KeyPair.generate(random);
    X25519KeyPair sealingKey = X25519KeyPair.generate(random);
    CreateQueue.Builder create =
        CreateQueue.newBuilder().setRecipientDhPublic(ByteString.copyFrom(queueKey.publicKey()));
    if (creationToken != null) {
      create.setCreationToken(ByteString.copyFrom(creationToken));
    }
    return s.request(Frame.newBuilder().setCreateQueue(create), "create mailbox")
        .map(reply -> mailboxFrom(relay, reply, queueKey, sealingKey));
  }

  private static Mailbox mailboxFrom(
      RelayAddress relay, Frame reply, X25519KeyPair queueKey, X25519KeyPair sealingKey) {
    if (!reply.hasQueueCreated()) {
      throw Commands.unexpected(relay.toString(), "create mailbox", reply);
    }
    QueueCreated created = reply.getQueueCreated();
    try {
      return new Mailbox(
          relay,
          created.getRecipientId().toByteArray(),
          created.getSenderId().toByteArray(),
          created.getRelayDhPublic().toByteArray(),
          queueKey,
          sealingKey,
          null);
    } catch (IllegalArgumentException e) {
      throw new SealpostException(
          ClientError.PROTOCOL, relay + ": QueueCreated has a field of the wrong size", e);
    }
  }
}
