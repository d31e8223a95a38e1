package org.sealpost.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.security.SecureRandom;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.sealpost.client.ClientError;
import org.sealpost.client.SealpostException;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.proto.address.Transport;
import org.sealpost.proto.codec.BlockCodec;
import org.sealpost.proto.crypto.X25519KeyPair;
import org.sealpost.proto.crypto.noise.NoiseResponder;
import org.sealpost.proto.crypto.noise.NoiseSuite;
import org.sealpost.proto.v1.Frame;
import org.sealpost.proto.v1.RelayHello;

/** The handshake fed bytes from a relay-side Noise responder, no socket. */
class ClientHandshakeTest {
  private static final int B = 2048;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final X25519KeyPair relayKey = X25519KeyPair.generate(RANDOM::nextBytes);

  private RelayAddress address(byte[] key) throws Exception {
    return RelayAddress.of(Transport.TLS, key, "relay.test", 443, B);
  }

  private static RelayHello.Builder hello() {
    return RelayHello.newBuilder()
        .setVersion(1)
        .setBlockSize(B)
        .setEnvelopeSize(BlockCodec.envelopeSize(B))
        .setMaxOutstanding(7);
  }

  /** The relay's answer to message 1: reads it, checks the ClientHello, replies with {@code r}. */
  private byte[] relayAnswers(X25519KeyPair key, byte[] message1, RelayHello.Builder r)
      throws Exception {
    NoiseResponder responder = new NoiseResponder(key, B, NoiseSuite.PRODUCTION, RANDOM);
    Frame clientHello = BlockCodec.handshake(B).decode(responder.readHandshake1(message1)).get(0);
    assertThat(clientHello.getClientHello().getVersionsList()).containsExactly(1);
    return responder.writeHandshake2(
        BlockCodec.handshake(B).encode(Frame.newBuilder().setRelayHello(r).build()));
  }

  @Test
  void aRelayHoldingTheKeyCompletesItAndItsPromisesAreKept() throws Exception {
    ClientHandshake handshake = new ClientHandshake(address(relayKey.publicKey()), RANDOM);
    byte[] message1 = handshake.message1();
    assertThat(message1).hasSize(B);

    ClientHandshake.Established done = handshake.finish(relayAnswers(relayKey, message1, hello()));

    assertThat(done.info().maxOutstanding()).isEqualTo(7);
    assertThat(done.transport().handshakeHash()).hasSize(32);
  }

  // issue 11: RelayInfo carries circuits_supported (protocol §11) beside forward_supported
  @Test
  void whatTheRelayAnnouncesAboutForwardingAndCircuitsReachesRelayInfo() throws Exception {
    ClientHandshake plain = new ClientHandshake(address(relayKey.publicKey()), RANDOM);
    ClientHandshake.Established none =
        plain.finish(relayAnswers(relayKey, plain.message1(), hello()));
    assertThat(none.info().forwardSupported()).isFalse();
    assertThat(none.info().circuitsSupported()).isFalse();

    ClientHandshake circuits = new ClientHandshake(address(relayKey.publicKey()), RANDOM);
    ClientHandshake.Established both =
        circuits.finish(
            relayAnswers(
                relayKey,
                circuits.message1(),
                hello().setForwardSupported(true).setCircuitsSupported(true)));
    assertThat(both.info().forwardSupported()).isTrue();
    assertThat(both.info().circuitsSupported()).isTrue();

    ClientHandshake forwardOnly = new ClientHandshake(address(relayKey.publicKey()), RANDOM);
    ClientHandshake.Established one =
        forwardOnly.finish(
            relayAnswers(relayKey, forwardOnly.message1(), hello().setForwardSupported(true)));
    assertThat(one.info().forwardSupported()).isTrue();
    assertThat(one.info().circuitsSupported()).isFalse();
  }

  @Test
  void aReplyFromAnotherKeyIsAHandshakeFailure() throws Exception {
    X25519KeyPair impostor = X25519KeyPair.generate(RANDOM::nextBytes);
    ClientHandshake handshake = new ClientHandshake(address(relayKey.publicKey()), RANDOM);
    byte[] message1 = handshake.message1();
    // an impostor cannot read message 1; it answers a handshake of its own
    ClientHandshake own = new ClientHandshake(address(impostor.publicKey()), RANDOM);
    byte[] forged = relayAnswers(impostor, own.message1(), hello());

    assertThatThrownBy(() -> handshake.finish(forged))
        .isInstanceOfSatisfying(
            SealpostException.class,
            e -> {
              assertThat(e.error()).isEqualTo(ClientError.HANDSHAKE);
              assertThat(e.getMessage()).contains("relay key");
            });
  }

  @Test
  void aVersionNotOfferedIsRefused() throws Exception {
    ClientHandshake handshake = new ClientHandshake(address(relayKey.publicKey()), RANDOM);
    byte[] reply = relayAnswers(relayKey, handshake.message1(), hello().setVersion(2));

    assertThatThrownBy(() -> handshake.finish(reply))
        .isInstanceOfSatisfying(
            SealpostException.class, e -> assertThat(e.error()).isEqualTo(ClientError.VERSION));
  }

  @Test
  void anotherBlockSizeInRelayHelloIsAProtocolError() throws Exception {
    ClientHandshake handshake = new ClientHandshake(address(relayKey.publicKey()), RANDOM);
    byte[] reply = relayAnswers(relayKey, handshake.message1(), hello().setBlockSize(4096));

    assertThatThrownBy(() -> handshake.finish(reply))
        .isInstanceOfSatisfying(
            SealpostException.class, e -> assertThat(e.error()).isEqualTo(ClientError.PROTOCOL));
  }

  // issue 12: relay-key rotation
  @Test
  void anAnnouncedSuccessorBecomesAKeyChangeForTheSameRelay() throws Exception {
    X25519KeyPair successor = X25519KeyPair.generate(RANDOM::nextBytes);
    RelayAddress pinned = address(relayKey.publicKey());
    ClientHandshake handshake = new ClientHandshake(pinned, RANDOM);
    RelayHello.Builder announcing =
        hello()
            .setSuccessorKey(ByteString.copyFrom(successor.publicKey()))
            .setTransitionEnd(1_930_089_600L);

    ClientHandshake.Established done =
        handshake.finish(relayAnswers(relayKey, handshake.message1(), announcing));

    var change = done.keyChange().orElseThrow();
    assertThat(change.previous()).isEqualTo(pinned);
    assertThat(change.successor()).isEqualTo(address(successor.publicKey()));
    assertThat(change.transitionEnd()).isEqualTo(Instant.parse("2031-03-01T00:00:00Z"));
    assertThat(change.toString()).doesNotContain(change.successor().format().substring(11, 54));
  }

  @Test
  void noAnnouncementOrAMalformedOneIsNoKeyChange() throws Exception {
    RelayAddress pinned = address(relayKey.publicKey());
    assertThat(ClientHandshake.announced(pinned, hello().build())).isEmpty();
    for (byte[] bad :
        new byte[][] {new byte[31], new byte[33], new byte[32], relayKey.publicKey()}) {
      RelayHello announcing =
          hello().setSuccessorKey(ByteString.copyFrom(bad)).setTransitionEnd(1).build();
      assertThat(ClientHandshake.announced(pinned, announcing)).isEmpty();
    }
  }
}
