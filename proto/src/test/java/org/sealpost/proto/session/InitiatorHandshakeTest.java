package org.sealpost.proto.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sealpost.proto.codec.BlockCodec;
import org.sealpost.proto.crypto.RandomSource;
import org.sealpost.proto.crypto.X25519KeyPair;
import org.sealpost.proto.crypto.noise.NoiseResponder;
import org.sealpost.proto.crypto.noise.NoiseSuite;
import org.sealpost.proto.session.InitiatorHandshake.Failure;
import org.sealpost.proto.session.InitiatorHandshake.HandshakeException;
import org.sealpost.proto.v1.Error;
import org.sealpost.proto.v1.ErrorCode;
import org.sealpost.proto.v1.Frame;
import org.sealpost.proto.v1.Ping;
import org.sealpost.proto.v1.RelayHello;

/** The shared initiator handshake against a responder built from the Noise classes alone. */
class InitiatorHandshakeTest {
  private static final int B = 1024;
  private static final SecureRandom RANDOM = new SecureRandom();
  private final X25519KeyPair relay = X25519KeyPair.generate(RandomSource.of(RANDOM));

  /** Runs message 1 through a responder that answers message 2 with {@code reply}. */
  private InitiatorHandshake.Established handshake(List<Frame> reply) throws Exception {
    InitiatorHandshake initiator = new InitiatorHandshake(relay.publicKey(), B, RANDOM);
    NoiseResponder responder = new NoiseResponder(relay, B, NoiseSuite.PRODUCTION, RANDOM);
    BlockCodec codec = BlockCodec.handshake(B);
    List<Frame> hello = codec.decode(responder.readHandshake1(initiator.message1()));
    assertThat(hello)
        .singleElement()
        .satisfies(f -> assertThat(f.getClientHello().getVersionsList()).containsExactly(1));
    try {
      return initiator.finish(responder.writeHandshake2(codec.encode(reply)));
    } finally {
      initiator.destroy();
    }
  }

  private static Frame hello(int version, int blockSize) {
    return Frame.newBuilder()
        .setRelayHello(
            RelayHello.newBuilder()
                .setVersion(version)
                .setBlockSize(blockSize)
                .setEnvelopeSize(blockSize - 512))
        .build();
  }

  private Failure failureOf(List<Frame> reply) {
    try {
      handshake(reply);
    } catch (HandshakeException e) {
      return e.failure();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return null;
  }

  @Test
  void aRelayHelloForVersionOneAndTheseSizesCompletesIt() throws Exception {
    InitiatorHandshake.Established done = handshake(List.of(hello(1, B)));
    assertThat(done.hello().getBlockSize()).isEqualTo(B);
    assertThat(done.transport().handshakeHash()).hasSize(32);
  }

  @Test
  void eachBrokenRuleHasItsOwnFailure() {
    assertThat(failureOf(List.of(hello(2, B)))).isEqualTo(Failure.VERSION);
    assertThat(failureOf(List.of(hello(1, B + 1)))).isEqualTo(Failure.SIZES);
    assertThat(failureOf(List.of(Frame.newBuilder().setPing(Ping.getDefaultInstance()).build())))
        .isEqualTo(Failure.MALFORMED);
    assertThat(failureOf(List.of(hello(1, B), hello(1, B)))).isEqualTo(Failure.MALFORMED);
  }

  @Test
  void anErrorFrameIsARefusalWithItsCode() {
    Frame refusal =
        Frame.newBuilder()
            .setError(Error.newBuilder().setCode(ErrorCode.ERROR_CODE_VERSION))
            .build();
    assertThatThrownBy(() -> handshake(List.of(refusal)))
        .isInstanceOfSatisfying(
            HandshakeException.class,
            e -> {
              assertThat(e.failure()).isEqualTo(Failure.REFUSED);
              assertThat(e.relayCode()).isEqualTo(ErrorCode.ERROR_CODE_VERSION);
            });
  }

  @Test
  void aTamperedReplyDoesNotAuthenticate() throws Exception {
    InitiatorHandshake initiator = new InitiatorHandshake(relay.publicKey(), B, RANDOM);
    NoiseResponder responder = new NoiseResponder(relay, B, NoiseSuite.PRODUCTION, RANDOM);
    responder.readHandshake1(initiator.message1());
    byte[] message2 = responder.writeHandshake2(BlockCodec.handshake(B).encode(hello(1, B)));
    message2[40] ^= 1; // inside the encrypted payload, after the ephemeral key
    assertThatThrownBy(() -> initiator.finish(message2))
        .isInstanceOfSatisfying(
            HandshakeException.class,
            e -> assertThat(e.failure()).isEqualTo(Failure.NOT_AUTHENTIC));
    initiator.destroy();
  }
}
