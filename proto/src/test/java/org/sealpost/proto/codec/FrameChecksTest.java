package org.sealpost.proto.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sealpost.proto.codec.TestFrames.filled;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.proto.address.Transport;
import org.sealpost.proto.v1.Ack;
import org.sealpost.proto.v1.ClientHello;
import org.sealpost.proto.v1.Cover;
import org.sealpost.proto.v1.CreateQueue;
import org.sealpost.proto.v1.End;
import org.sealpost.proto.v1.ErrorCode;
import org.sealpost.proto.v1.Forward;
import org.sealpost.proto.v1.ForwardReply;
import org.sealpost.proto.v1.Frame;
import org.sealpost.proto.v1.Get;
import org.sealpost.proto.v1.Message;
import org.sealpost.proto.v1.Ok;
import org.sealpost.proto.v1.QueueCreated;
import org.sealpost.proto.v1.RecipientOp;
import org.sealpost.proto.v1.RelayForward;
import org.sealpost.proto.v1.SecureQueue;
import org.sealpost.proto.v1.Send;

class FrameChecksTest {
  private static final int B = 1024;
  private static final int E = 512;
  private final FrameChecks checks = new FrameChecks(B);

  private static final Optional<ErrorCode> SYNTAX = Optional.of(ErrorCode.ERROR_CODE_SYNTAX);
  private static final Optional<ErrorCode> SIZE = Optional.of(ErrorCode.ERROR_CODE_SIZE);

  private static Frame send(int envelope, int token) {
    Send.Builder s = Send.newBuilder().setSenderId(filled(32, 1)).setEnvelope(filled(envelope, 2));
    if (token >= 0) {
      s.setSendToken(filled(token, 3));
    }
    return Frame.newBuilder().setCorrId(1).setSend(s).build();
  }

  @Test
  void acceptsWellFormedClientCommands() {
    assertThat(checks.checkFromClient(send(E, -1))).isEmpty();
    assertThat(checks.checkFromClient(send(E, 16))).isEmpty();
    assertThat(checks.checkFromClient(TestFrames.subscribe(4))).isEmpty();
    assertThat(checks.checkFromClient(TestFrames.ping(9))).isEmpty();
    Frame ack =
        Frame.newBuilder()
            .setCorrId(2)
            .setAck(Ack.newBuilder().setRecipientId(filled(32, 1)).setMessageId(filled(12, 2)))
            .build();
    assertThat(checks.checkFromClient(ack)).isEmpty();
    Frame create =
        Frame.newBuilder()
            .setCorrId(3)
            .setCreateQueue(CreateQueue.newBuilder().setRecipientDhPublic(filled(32, 1)))
            .build();
    assertThat(checks.checkFromClient(create)).isEmpty();
  }

  @Test
  void envelopeOfAnySizeButEIsASizeError() {
    assertThat(checks.checkFromClient(send(E - 1, -1))).isEqualTo(SIZE);
    assertThat(checks.checkFromClient(send(E + 1, -1))).isEqualTo(SIZE);
    assertThat(checks.checkFromClient(send(E, 15))).isEqualTo(SIZE);
  }

  @Test
  void creationTokenMustBeOneToSixtyFourBytes() {
    CreateQueue.Builder c = CreateQueue.newBuilder().setRecipientDhPublic(filled(32, 1));
    Frame empty =
        Frame.newBuilder().setCorrId(1).setCreateQueue(c.setCreationToken(filled(0, 0))).build();
    Frame big =
        Frame.newBuilder().setCorrId(1).setCreateQueue(c.setCreationToken(filled(65, 0))).build();
    assertThat(checks.checkFromClient(empty)).isEqualTo(SIZE);
    assertThat(checks.checkFromClient(big)).isEqualTo(SIZE);
  }

  @Test
  void commandsNeedACorrelationIdButCoverDoesNot() {
    Frame noId = send(E, -1).toBuilder().setCorrId(0).build();
    assertThat(checks.checkFromClient(noId)).isEqualTo(SYNTAX);
    Frame cover = Frame.newBuilder().setCover(Cover.getDefaultInstance()).build();
    assertThat(checks.checkFromClient(cover)).isEmpty();
  }

  @Test
  void relayBodiesHellosAndEmptyFramesFromAClientAreSyntaxErrors() {
    Frame ok = Frame.newBuilder().setCorrId(1).setOk(Ok.getDefaultInstance()).build();
    Frame hello =
        Frame.newBuilder()
            .setCorrId(1)
            .setClientHello(ClientHello.newBuilder().addVersions(1))
            .build();
    Frame none = Frame.newBuilder().setCorrId(1).build();
    assertThat(checks.checkFromClient(ok)).isEqualTo(SYNTAX);
    assertThat(checks.checkFromClient(hello)).isEqualTo(SYNTAX);
    assertThat(checks.checkFromClient(none)).isEqualTo(SYNTAX);
  }

  @Test
  void forwardIsSizedByTheDestinationsBlockSize() throws Exception {
    String destination =
        RelayAddress.of(Transport.TLS, new byte[32], "relay.example.org", 443, B).format();
    Frame good =
        Frame.newBuilder()
            .setCorrId(1)
            .setForward(
                Forward.newBuilder()
                    .setDestination(destination)
                    .setSealedRequest(filled(E + 176, 1)))
            .build();
    assertThat(checks.checkFromClient(good)).isEmpty();
    Frame wrongSize =
        good.toBuilder()
            .setForward(good.getForward().toBuilder().setSealedRequest(filled(E + 175, 1)))
            .build();
    assertThat(checks.checkFromClient(wrongSize)).isEqualTo(SIZE);
    Frame notAnAddress =
        good.toBuilder()
            .setForward(good.getForward().toBuilder().setDestination("relay.example.org:443"))
            .build();
    assertThat(checks.checkFromClient(notAnAddress)).isEqualTo(SYNTAX);
    Frame relayForward =
        Frame.newBuilder()
            .setCorrId(1)
            .setRelayForward(RelayForward.newBuilder().setSealedRequest(filled(E + 176, 1)))
            .build();
    assertThat(checks.checkFromClient(relayForward)).isEmpty();
  }

  @Test
  void recipientOpsNeedAnOperationAndA16ByteToken() {
    assertThat(
            FrameChecks.checkRecipientOp(
                RecipientOp.newBuilder().setGet(Get.getDefaultInstance()).build()))
        .isEmpty();
    assertThat(FrameChecks.checkRecipientOp(RecipientOp.getDefaultInstance())).isEqualTo(SYNTAX);
    RecipientOp shortToken =
        RecipientOp.newBuilder()
            .setSecureQueue(SecureQueue.newBuilder().setSendToken(filled(15, 1)))
            .build();
    assertThat(FrameChecks.checkRecipientOp(shortToken)).isEqualTo(SIZE);
  }

  @Test
  void checksWhatARelaySends() {
    Frame push =
        Frame.newBuilder()
            .setMessage(
                Message.newBuilder()
                    .setRecipientId(filled(32, 1))
                    .setMessageId(filled(12, 2))
                    .setEncryptedEnvelope(filled(E + 16, 3)))
            .build();
    assertThat(checks.checkFromRelay(push)).isEmpty();
    Frame shortPush =
        push.toBuilder()
            .setMessage(push.getMessage().toBuilder().setEncryptedEnvelope(filled(E, 3)))
            .build();
    assertThat(checks.checkFromRelay(shortPush)).isEqualTo(SIZE);
    Frame created =
        Frame.newBuilder()
            .setCorrId(1)
            .setQueueCreated(
                QueueCreated.newBuilder()
                    .setRecipientId(filled(32, 1))
                    .setSenderId(filled(32, 2))
                    .setRelayDhPublic(filled(31, 3)))
            .build();
    assertThat(checks.checkFromRelay(created)).isEqualTo(SIZE);
    Frame end = Frame.newBuilder().setEnd(End.newBuilder().setRecipientId(filled(32, 1))).build();
    assertThat(checks.checkFromRelay(end)).isEmpty();
    Frame reply =
        Frame.newBuilder()
            .setCorrId(1)
            .setForwardReply(ForwardReply.newBuilder().setSealedReply(filled(272, 1)))
            .build();
    assertThat(checks.checkFromRelay(reply)).isEmpty();
    assertThat(checks.checkFromRelay(send(E, -1))).isEqualTo(SYNTAX);
  }
}
