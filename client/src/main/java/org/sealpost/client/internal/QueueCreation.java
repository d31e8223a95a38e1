package org.sealpost.client.internal;

import com.google.protobuf.ByteString;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.sealpost.client.ClientError;
import org.sealpost.client.Mailbox;
import org.sealpost.client.SealpostException;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.proto.crypto.RandomSource;
import org.sealpost.proto.crypto.X25519KeyPair;
import org.sealpost.proto.pow.CreatePow;
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
      Vertx vertx,
      CommandChannel s,
      RelayAddress relay,
      RandomSource random,
      byte[] creationToken) {
    X25519KeyPair queueKey = X25519KeyPair.generate(random);
    X25519KeyPair sealingKey = X25519KeyPair.generate(random);
    CreateQueue.Builder create =
        CreateQueue.newBuilder().setRecipientDhPublic(ByteString.copyFrom(queueKey.publicKey()));
    if (creationToken != null) {
      create.setCreationToken(ByteString.copyFrom(creationToken));
    }
    return proofOfWork(vertx, s, relay, queueKey.publicKey())
        .compose(
            nonce -> {
              if (nonce != null) {
                create.setPowNonce(ByteString.copyFrom(nonce));
              }
              return s.request(Frame.newBuilder().setCreateQueue(create), "create mailbox");
            })
        .map(reply -> mailboxFrom(relay, reply, queueKey, sealingKey));
  }

  /**
   * Issue 12 (protocol §4.3.1): the nonce the session's RelayHello asks for, found on a worker
   * thread (2^bits hashes on average: never on the event loop); null when none is asked for.
   */
  private static Future<byte[]> proofOfWork(
      Vertx vertx, CommandChannel s, RelayAddress relay, byte[] queueKey) {
    int bits = s.info().createPowBits();
    if (bits == 0) {
      return Future.succeededFuture(null);
    }
    if (bits > CreatePow.MAX_BITS) {
      return Future.failedFuture(
          new SealpostException(
              ClientError.PROHIBITED,
              relay
                  + " asks a proof of work of "
                  + bits
                  + " bits to create a mailbox; this client makes at most "
                  + CreatePow.MAX_BITS));
    }
    byte[] h = s.handshakeHash();
    return vertx.executeBlocking(() -> CreatePow.solve(h, queueKey, bits, 0), false);
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
