package org.sealpost.client.internal;

import com.google.protobuf.ByteString;
import io.vertx.core.Future;
import org.sealpost.client.ClientError;
import org.sealpost.client.Mailbox;
import org.sealpost.client.SealpostException;
import org.sealpost.proto.crypto.CommandMac;
import org.sealpost.proto.v1.Ack;
import org.sealpost.proto.v1.Frame;
import org.sealpost.proto.v1.RecipientCommand;
import org.sealpost.proto.v1.RecipientOp;
import org.sealpost.proto.v1.Subscribe;

/** Building and checking the commands more than one part of the connection sends. */
final class Commands {
  private Commands() {}

  /**
   * Sends a recipient command: the op travels as opaque bytes with an HMAC over the session's
   * handshake hash, the recipient ID and those exact bytes (docs/protocol.md, recipient commands).
   */
  static Future<Frame> recipientCommand(
      CommandChannel s, Mailbox mailbox, RecipientOp op, String operation) {
    byte[] command = op.toByteArray();
    byte[] recipientId = mailbox.recipientId();
    byte[] mac =
        CommandMac.compute(mailbox.queueKeys().macKey(), s.handshakeHash(), recipientId, command);
    RecipientCommand rc =
        RecipientCommand.newBuilder()
            .setRecipientId(ByteString.copyFrom(recipientId))
            .setCommand(ByteString.copyFrom(command))
            .setMac(ByteString.copyFrom(mac))
            .build();
    return s.request(Frame.newBuilder().setRecipientCommand(rc), operation);
  }

  /** Subscribes {@code mailbox} on the session; completes when the relay answered Ok. */
  static Future<Void> subscribe(CommandChannel s, Mailbox mailbox) {
    RecipientOp op = RecipientOp.newBuilder().setSubscribe(Subscribe.getDefaultInstance()).build();
    return recipientCommand(s, mailbox, op, "subscribe")
        .map(
            reply -> {
              expectOk(mailbox, "subscribe", reply);
              return null;
            });
  }

  /**
   * Acknowledges a delivery (no MAC: the subscription or Get bound the queue to the session), as an
   * unanswered Ack (protocol §4.5): no Ok comes back, and one that fails leaves the envelope to be
   * delivered again. Completes once the Ack is queued.
   */
  static Future<Void> ack(CommandChannel s, Mailbox mailbox, byte[] messageId) {
    return s.post(
        Frame.newBuilder()
            .setAck(
                Ack.newBuilder()
                    .setRecipientId(ByteString.copyFrom(mailbox.recipientId()))
                    .setMessageId(ByteString.copyFrom(messageId))));
  }

  /**
   * Acknowledges a delivery with an answered Ack: completes once the relay has deleted it (the Ok).
   * A Get uses it, so that its caller's next Get cannot overtake the deletion and that "taken"
   * means deleted (pushes use the unanswered {@link #ack}: the window orders those).
   */
  static Future<Void> ackAnswered(CommandChannel s, Mailbox mailbox, byte[] messageId) {
    Frame.Builder ack =
        Frame.newBuilder()
            .setAck(
                Ack.newBuilder()
                    .setRecipientId(ByteString.copyFrom(mailbox.recipientId()))
                    .setMessageId(ByteString.copyFrom(messageId)));
    return s.request(ack, "ack")
        .map(
            reply -> {
              expectOk(mailbox, "ack", reply);
              return null;
            });
  }

  static void expectOk(Mailbox mailbox, String operation, Frame reply) {
    if (!reply.hasOk()) {
      throw unexpected(mailbox.relay().toString(), operation, reply);
    }
  }

  static SealpostException unexpected(String relayName, String operation, Frame reply) {
    return new SealpostException(
        ClientError.PROTOCOL,
        relayName + " answered " + operation + " with " + reply.getBodyCase());
  }
}
