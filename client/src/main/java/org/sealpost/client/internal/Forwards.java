package org.sealpost.client.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.Arrays;
import org.sealpost.client.ClientError;
import org.sealpost.client.RelayInfo;
import org.sealpost.client.SealpostException;
import org.sealpost.proto.address.MailboxAddress;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.proto.crypto.CryptoException;
import org.sealpost.proto.crypto.ForwardSeal;
import org.sealpost.proto.crypto.RandomSource;
import org.sealpost.proto.v1.ErrorCode;
import org.sealpost.proto.v1.Forward;
import org.sealpost.proto.v1.Frame;
import org.sealpost.proto.v1.Send;

/**
 * Two-hop sending, the client's side (protocol §9.1, §9.3): the Send for the destination relay is
 * sealed to the destination's static key and handed to the first relay in a {@code Forward}; the
 * first relay learns the client's address and the destination, never the queue. The sealed reply is
 * opened with the reply key, which is then erased.
 */
final class Forwards {
  /** The inner frame's corr_id: the sealed reply echoes it; nothing else sees it. */
  private static final int INNER_CORR = 1;

  private Forwards() {}

  /**
   * Forwards a Send of {@code envelope} (E bytes of the destination) through the session's relay.
   *
   * @param firstRelay the session's relay, for messages
   */
  static Future<Void> send(
      CommandChannel s,
      RelayAddress firstRelay,
      MailboxAddress to,
      ByteString envelope,
      Clock clock,
      RandomSource random) {
    RelayInfo info = s.info();
    RelayAddress destination = to.relay();
    if (!info.forwardSupported()) {
      return Future.failedFuture(refused(firstRelay, "it does not forward"));
    }
    if (destination.blockSize() > info.blockSize()) {
      return Future.failedFuture(
          refused(
              firstRelay,
              "its blocks (B = "
                  + info.blockSize()
                  + ") cannot carry requests for the destination (B = "
                  + destination.blockSize()
                  + ")"));
    }
    Send.Builder send = Send.newBuilder().setSenderId(ByteString.copyFrom(to.senderId()));
    send.setEnvelope(envelope);
    to.sendToken().ifPresent(t -> send.setSendToken(ByteString.copyFrom(t)));
    byte[] inner = Frame.newBuilder().setCorrId(INNER_CORR).setSend(send).build().toByteArray();
    ForwardSeal.SealedRequest sealed;
    try {
      sealed =
          new ForwardSeal(destination.envelopeSize())
              .seal(destination.relayKey(), inner, clock, random);
    } catch (CryptoException e) {
      return Future.failedFuture(
          new SealpostException(
              ClientError.BAD_ADDRESS, "the destination relay's key is not usable", e));
    } finally {
      Arrays.fill(inner, (byte) 0);
    }
    byte[] replyKey = sealed.replyKey();
    return s.request(
            Frame.newBuilder()
                .setForward(
                    Forward.newBuilder()
                        .setDestination(destination.format())
                        .setSealedRequest(ByteString.copyFrom(sealed.bytes()))),
            "send via " + firstRelay)
        .recover(
            failure -> {
              if (failure instanceof SealpostException e
                  && e.relayCode().orElse(null) == ErrorCode.ERROR_CODE_PROHIBITED) {
                return Future.failedFuture(refused(firstRelay, "it answered PROHIBITED"));
              }
              return Future.failedFuture(failure);
            })
        .<Void>map(reply -> openReply(reply, replyKey, firstRelay, destination))
        .andThen(ar -> Arrays.fill(replyKey, (byte) 0));
  }

  private static Void openReply(
      Frame reply, byte[] replyKey, RelayAddress firstRelay, RelayAddress destination) {
    if (!reply.hasForwardReply()) {
      throw Commands.unexpected(firstRelay.toString(), "send via", reply);
    }
    Frame inner;
    try {
      inner =
          Frame.parseFrom(
              ForwardSeal.openReply(
                  replyKey, reply.getForwardReply().getSealedReply().toByteArray()));
    } catch (CryptoException | InvalidProtocolBufferException e) {
      throw SessionFailures.protocol(
          destination.toString(), "the forwarded reply does not open with its reply key");
    }
    if (inner.hasOk()) {
      return null;
    }
    if (inner.hasError()) {
      throw RelayErrors.of(inner.getError().getCode(), "send", destination.toString());
    }
    throw Commands.unexpected(destination.toString(), "send", inner);
  }

  private static SealpostException refused(RelayAddress firstRelay, String why) {
    return new SealpostException(
        ClientError.FORWARD_REFUSED, "first relay " + firstRelay + " refuses forwarding: " + why);
  }
}
