package org.sealpost.relay.protocol;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.sealpost.proto.address.AddressException;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.proto.codec.FrameChecks;
import org.sealpost.proto.v1.ErrorCode;
import org.sealpost.proto.v1.Forward;
import org.sealpost.proto.v1.ForwardReply;
import org.sealpost.proto.v1.Frame;
import org.sealpost.relay.forward.Destinations;

/**
 * Forward → ForwardReply, on the first relay (protocol §4.7): checks the destination and the sealed
 * request's size, holds the connection to its rate and to a few destinations, and passes the opaque
 * bytes to the shared {@link org.sealpost.relay.forward.ForwardPool}. The destination address stays
 * in this connection's memory only; it is never logged or counted by name.
 */
final class ForwardHandler {
  private static final CommandType TYPE = CommandType.FORWARD;

  private final Replies replies;
  private final Forwarding forwarding;
  private final TokenBucket bucket;
  private final Set<RelayAddress> used = new HashSet<>();

  ForwardHandler(Replies replies, Forwarding forwarding, TokenBucket bucket) {
    this.replies = replies;
    this.forwarding = forwarding;
    this.bucket = bucket;
  }

  void handle(int corr, Forward command) {
    if (!forwarding.enabled()) {
      replies.error(TYPE, corr, ErrorCode.ERROR_CODE_PROHIBITED);
      return;
    }
    ByteString destinationBytes = command.getDestinationBytes();
    if (destinationBytes.isEmpty()
        || destinationBytes.size() > FrameChecks.MAX_DESTINATION_LENGTH) {
      replies.error(TYPE, corr, ErrorCode.ERROR_CODE_SIZE);
      return;
    }
    RelayAddress destination;
    try {
      destination = RelayAddress.parse(destinationBytes.toString(StandardCharsets.UTF_8));
    } catch (AddressException e) {
      replies.error(TYPE, corr, ErrorCode.ERROR_CODE_SYNTAX);
      return;
    }
    if (new FrameChecks(destination.blockSize())
        .checkFromClient(forwardFrame(corr, command))
        .isPresent()) {
      replies.error(TYPE, corr, ErrorCode.ERROR_CODE_SIZE);
      return;
    }
    if (Destinations.refused(destination, forwarding.settings().privateDestinations())) {
      replies.error(TYPE, corr, ErrorCode.ERROR_CODE_FORWARD);
      return;
    }
    if (!used.contains(destination)
        && used.size() >= forwarding.settings().destinationsPerConnection()) {
      replies.error(TYPE, corr, ErrorCode.ERROR_CODE_RATE);
      return;
    }
    if (!bucket.tryTake()) {
      replies.error(TYPE, corr, ErrorCode.ERROR_CODE_RATE);
      return;
    }
    if (!replies.admit(TYPE, corr)) {
      return;
    }
    used.add(destination);
    byte[] sealed = command.getSealedRequest().toByteArray();
    replies.run(
        TYPE,
        corr,
        () -> forwarding.pool().forward(destination, sealed),
        outcome ->
            replies.doneWith(
                TYPE,
                corr,
                Frame.newBuilder()
                    .setForwardReply(
                        ForwardReply.newBuilder()
                            .setSealedReply(ByteString.copyFrom(outcome.sealedReply())))));
  }

  private static Frame forwardFrame(int corr, Forward command) {
    return Frame.newBuilder().setCorrId(corr).setForward(command).build();
  }
}
