package org.sealpost.client.internal;

import com.google.protobuf.ByteString;
import io.vertx.core.Future;
import java.util.function.Function;
import org.sealpost.client.ClientError;
import org.sealpost.client.RelayInfo;
import org.sealpost.client.SealpostException;
import org.sealpost.proto.address.MailboxAddress;
import org.sealpost.proto.crypto.CryptoException;
import org.sealpost.proto.crypto.RandomSource;
import org.sealpost.proto.crypto.SealedEnvelope;
import org.sealpost.proto.crypto.X25519KeyPair;
import org.sealpost.proto.v1.Frame;
import org.sealpost.proto.v1.Send;

/** The sender's side: sealing content into an envelope of the relay's size E, and Send. */
final class Envelopes {
  private Envelopes() {}

  /**
   * Sends the envelope {@code envelope} makes from the session's relay info; completes once the
   * relay stored it durably.
   */
  static Future<Void> send(
      CommandChannel s, MailboxAddress to, Function<RelayInfo, ByteString> envelope) {
    Send.Builder send =
        Send.newBuilder()
            .setSenderId(ByteString.copyFrom(to.senderId()))
            .setEnvelope(envelope.apply(s.info()));
    to.sendToken().ifPresent(t -> send.setSendToken(ByteString.copyFrom(t)));
    return s.request(Frame.newBuilder().setSend(send), "send")
        .map(
            reply -> {
              if (!reply.hasOk()) {
                throw Commands.unexpected(to.relay().toString(), "send", reply);
              }
              return null;
            });
  }

  /** Seals {@code content} from {@code identity} to the address's sealing key, E bytes. */
  static ByteString seal(
      RelayInfo info,
      MailboxAddress to,
      byte[] content,
      X25519KeyPair identity,
      RandomSource random) {
    return seal(info.envelopeSize(), to, content, identity, random);
  }

  /** Seals {@code content} to the address's sealing key, {@code envelopeSize} bytes. */
  static ByteString seal(
      int envelopeSize,
      MailboxAddress to,
      byte[] content,
      X25519KeyPair identity,
      RandomSource random) {
    SealedEnvelope sealer = new SealedEnvelope(envelopeSize);
    try {
      return ByteString.copyFrom(sealer.seal(identity, to.sealingKey(), content, random));
    } catch (CryptoException e) {
      if (e.reason() == CryptoException.Reason.TOO_LARGE) {
        throw new SealpostException(
            ClientError.TOO_LARGE,
            "content of "
                + content.length
                + " bytes exceeds the "
                + sealer.capacity()
                + " bytes one envelope of this relay carries",
            e);
      }
      throw new SealpostException(
          ClientError.BAD_ADDRESS, "the mailbox address's sealing key is not usable", e);
    }
  }

  /** An envelope sealed beforehand, if it has the relay's size E. */
  static ByteString checkSealed(RelayInfo info, ByteString sealed) {
    return checkSealed(info.envelopeSize(), sealed);
  }

  /** An envelope sealed beforehand, if it has the size E. */
  static ByteString checkSealed(int envelopeSize, ByteString sealed) {
    if (sealed.size() != envelopeSize) {
      throw new SealpostException(
          ClientError.BAD_ENVELOPE,
          "an envelope for this relay is exactly " + envelopeSize + " bytes, not " + sealed.size());
    }
    return sealed;
  }
}
