package org.sealpost.client;

import org.sealpost.proto.address.AddressException;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.proto.address.Transport;
import org.sealpost.proto.crypto.RandomSource;
import org.sealpost.proto.crypto.X25519KeyPair;

/** Mailboxes with random credentials, as a relay would have handed them out. */
public final class TestMailboxes {
  private static final RandomSource RANDOM = RandomSource.secure();

  private TestMailboxes() {}

  public static RelayAddress relay(String host, int port) {
    try {
      return RelayAddress.of(
          Transport.TLS, X25519KeyPair.generate(RANDOM).publicKey(), host, port, 16_359);
    } catch (AddressException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Mailbox mailbox(RelayAddress relay, boolean secured) {
    return new Mailbox(
        relay,
        RANDOM.bytes(32),
        RANDOM.bytes(32),
        X25519KeyPair.generate(RANDOM).publicKey(),
        X25519KeyPair.generate(RANDOM),
        X25519KeyPair.generate(RANDOM),
        secured ? RANDOM.bytes(16) : null);
  }
}
