package org.sealpost.cluster;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.CompletionStage;
import org.sealpost.proto.crypto.CommandMac;
import org.sealpost.proto.crypto.CryptoException;
import org.sealpost.proto.crypto.QueueKeys;
import org.sealpost.proto.crypto.RandomSource;
import org.sealpost.proto.crypto.X25519KeyPair;
import org.sealpost.relay.queue.AuthorizedQueue;
import org.sealpost.relay.queue.CreatedQueue;
import org.sealpost.relay.queue.QueueService;

/** A recipient's side of the command path, for the tests: create, authorize, envelopes. */
final class TestQueues {
  static final int ENVELOPE = 256;

  private TestQueues() {}

  record Queue(CreatedQueue created, byte[] macKey) {}

  static <T> T join(CompletionStage<T> stage) {
    return stage.toCompletableFuture().join();
  }

  static Queue create(QueueService via, SecureRandom random) throws CryptoException {
    X25519KeyPair recipient = X25519KeyPair.generate(RandomSource.of(random));
    CreatedQueue created = join(via.create(recipient.publicKey()));
    return new Queue(
        created, QueueKeys.deriveForRecipient(recipient, created.relayDhPublic()).macKey());
  }

  static AuthorizedQueue authorize(QueueService via, Queue q) {
    byte[] h = new byte[32];
    byte[] command = {1, 2, 3};
    byte[] mac = CommandMac.compute(q.macKey(), h, q.created().recipientId(), command);
    return join(via.authorize(q.created().recipientId(), h, command, mac));
  }

  static byte[] envelope(int fill) {
    byte[] e = new byte[ENVELOPE];
    Arrays.fill(e, (byte) fill);
    return e;
  }
}
