package org.sealpost.relay.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.security.SecureRandom;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sealpost.proto.codec.BlockCodec;
import org.sealpost.proto.v1.ErrorCode;
import org.sealpost.proto.v1.Frame;
import org.sealpost.proto.v1.Ping;
import org.sealpost.relay.transport.CloseReason;

/**
 * The session handler fed block by block through a fake session: the handshake stage, and what a
 * block that does not decrypt or decode does to the session (protocol §2.6, §3.2).
 */
@ExtendWith(VertxExtension.class)
class ProtocolSessionHandlerTest {
  private static final int C = SessionHarness.B - BlockCodec.TRANSPORT_OVERHEAD;

  private static SessionHarness harness(Vertx vertx) {
    return new SessionHarness(vertx, Function.identity());
  }

  @Test
  void aHandshakeGetsRelayHelloAndThenPingGetsPong(Vertx vertx) {
    SessionHarness h = harness(vertx);
    Frame hello = h.handshake(List.of(1));
    assertThat(hello.hasRelayHello()).isTrue();
    assertThat(hello.getRelayHello().getBlockSize()).isEqualTo(SessionHarness.B);
    assertThat(h.session.handshakeCompleted).isTrue();
    List<Frame> replies = h.exchange(ping(5));
    assertThat(replies).hasSize(1);
    assertThat(replies.get(0).getCorrId()).isEqualTo(5);
    assertThat(replies.get(0).hasPong()).isTrue();
    assertThat(h.session.closed).isNull();
  }

  @Test
  void aHandshakeMessageThatDoesNotDecryptClosesWithoutAReply(Vertx vertx) {
    SessionHarness h = harness(vertx);
    byte[] garbage = new byte[SessionHarness.B];
    new SecureRandom().nextBytes(garbage);
    h.feed(garbage);
    assertThat(h.blocksSent()).isZero();
    assertThat(h.session.closed).isEqualTo(CloseReason.HANDSHAKE_FAILED);
    assertThat(h.session.handshakeCompleted).isFalse();
  }

  @Test
  void noCommonVersionGetsErrorVersionInMessageTwoThenTheSessionCloses(Vertx vertx) {
    SessionHarness h = harness(vertx);
    Frame reply = h.handshake(List.of(7));
    assertThat(reply.getError().getCode()).isEqualTo(ErrorCode.ERROR_CODE_VERSION);
    assertThat(h.session.closed).isEqualTo(CloseReason.HANDSHAKE_FAILED);
    assertThat(h.session.handshakeCompleted).isFalse();
  }

  @Test
  void aBlockThatDoesNotDecryptClosesWithoutAReply(Vertx vertx) {
    SessionHarness h = harness(vertx).connected();
    int before = h.blocksSent();
    h.feed(new byte[SessionHarness.B]);
    assertThat(h.blocksSent()).isEqualTo(before);
    assertThat(h.session.closed).isEqualTo(CloseReason.BAD_BLOCK);
  }

  @Test
  void aBadVersionByteGetsOneErrorBlockThenTheSessionCloses(Vertx vertx) {
    byte[] block = emptyBlock();
    block[0] = 2;
    assertOneBlockErrorThenClosed(vertx, block);
  }

  @Test
  void nonZeroPaddingGetsOneErrorBlockThenTheSessionCloses(Vertx vertx) {
    byte[] block = emptyBlock();
    block[C - 1] = 1;
    assertOneBlockErrorThenClosed(vertx, block);
  }

  @Test
  void aZeroFrameLengthGetsOneErrorBlockThenTheSessionCloses(Vertx vertx) {
    byte[] block = emptyBlock();
    block[2] = 2; // payload of two bytes: one frame_length of 0
    assertOneBlockErrorThenClosed(vertx, block);
  }

  @Test
  void bytesThatAreNotProtobufGetOneErrorBlockThenTheSessionCloses(Vertx vertx) {
    byte[] block = emptyBlock();
    block[2] = 4; // payload: frame_length 2, then 0xFF 0xFF (an unterminated varint tag)
    block[4] = 2;
    block[5] = (byte) 0xFF;
    block[6] = (byte) 0xFF;
    assertOneBlockErrorThenClosed(vertx, block);
  }

  @Test
  void theErrorBlockCarriesTheRepliesAlreadyQueuedBeforeIt(Vertx vertx) {
    SessionHarness h = harness(vertx).connected();
    byte[] bad = emptyBlock();
    bad[0] = 9;
    h.exchange(ping(1)); // answered already; nothing left behind
    List<Frame> frames = h.exchangePlaintext(bad);
    assertThat(frames).extracting(Frame::getCorrId).containsExactly(0);
  }

  private static void assertOneBlockErrorThenClosed(Vertx vertx, byte[] plaintext) {
    SessionHarness h = harness(vertx).connected();
    int before = h.blocksSent();
    List<Frame> frames = h.exchangePlaintext(plaintext);
    assertThat(h.blocksSent()).isEqualTo(before + 1);
    assertThat(frames).hasSize(1);
    assertThat(frames.get(0).getCorrId()).isZero();
    assertThat(frames.get(0).getError().getCode()).isEqualTo(ErrorCode.ERROR_CODE_BLOCK);
    assertThat(h.session.closed).isEqualTo(CloseReason.BAD_BLOCK);
    // a later block is ignored
    h.feed(new byte[SessionHarness.B]);
    assertThat(h.blocksSent()).isEqualTo(before + 1);
  }

  /** A valid cover block plaintext: version 1, empty payload, zero padding. */
  static byte[] emptyBlock() {
    byte[] block = new byte[C];
    block[0] = 1;
    return block;
  }

  static Frame ping(int corr) {
    return Frame.newBuilder().setCorrId(corr).setPing(Ping.getDefaultInstance()).build();
  }

  static ByteString bytes(int n, int fill) {
    byte[] b = new byte[n];
    java.util.Arrays.fill(b, (byte) fill);
    return ByteString.copyFrom(b);
  }
}
