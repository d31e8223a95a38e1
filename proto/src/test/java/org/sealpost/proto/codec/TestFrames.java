package org.sealpost.proto.codec;

import com.google.protobuf.ByteString;
import java.util.Arrays;
import org.sealpost.proto.v1.Frame;
import org.sealpost.proto.v1.Ping;
import org.sealpost.proto.v1.RecipientCommand;
import org.sealpost.proto.v1.RecipientOp;
import org.sealpost.proto.v1.Send;
import org.sealpost.proto.v1.Subscribe;

/** Frames with fixed, recognisable contents for codec tests. */
final class TestFrames {
  private TestFrames() {}

  static ByteString filled(int length, int value) {
    byte[] b = new byte[length];
    Arrays.fill(b, (byte) value);
    return ByteString.copyFrom(b);
  }

  static Frame ping(int corrId) {
    return Frame.newBuilder().setCorrId(corrId).setPing(Ping.getDefaultInstance()).build();
  }

  static Frame send(int corrId, int envelopeSize) {
    return Frame.newBuilder()
        .setCorrId(corrId)
        .setSend(
            Send.newBuilder().setSenderId(filled(32, 0x22)).setEnvelope(filled(envelopeSize, 0x5a)))
        .build();
  }

  static Frame subscribe(int corrId) {
    ByteString op =
        RecipientOp.newBuilder()
            .setSubscribe(Subscribe.getDefaultInstance())
            .build()
            .toByteString();
    return Frame.newBuilder()
        .setCorrId(corrId)
        .setRecipientCommand(
            RecipientCommand.newBuilder()
                .setRecipientId(filled(32, corrId & 0xFF))
                .setCommand(op)
                .setMac(filled(32, 0x77)))
        .build();
  }
}
