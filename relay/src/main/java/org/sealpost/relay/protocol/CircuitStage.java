package org.sealpost.relay.protocol;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import org.sealpost.proto.address.AddressException;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.proto.codec.FrameChecks;
import org.sealpost.proto.v1.CircuitOpen;
import org.sealpost.proto.v1.ErrorCode;
import org.sealpost.relay.forward.CircuitLink;
import org.sealpost.relay.forward.Destinations;
import org.sealpost.relay.transport.Session;

/**
 * CircuitOpen on the first relay (protocol §11): checks the destination like Forward's, opens the
 * circuit's connection to it, and afterwards splices the client's blocks to the destination and
 * back, unread. The destination address stays in this connection's memory only; it is never logged
 * or counted by name.
 */
final class CircuitStage {
  /** What checking a CircuitOpen gives: the destination, or the error to answer. */
  record Checked(RelayAddress destination, ErrorCode refusal) {}

  private final Session session;
  private final Forwarding forwarding;
  private final TokenBucket bucket;
  private CircuitLink link;

  CircuitStage(Session session, Forwarding forwarding, TokenBucket bucket) {
    this.session = session;
    this.forwarding = forwarding;
    this.bucket = bucket;
  }

  /**
   * The checks of §11.2 in order: circuits off ({@code PROHIBITED}), the destination's length
   * ({@code SIZE}) and syntax ({@code SYNTAX}), a B other than this relay's ({@code SIZE}), a
   * destination this relay will not reach ({@code FORWARD}), the connection's rate ({@code RATE}).
   */
  Checked check(CircuitOpen command) {
    if (!forwarding.enabled()) {
      return refused(ErrorCode.ERROR_CODE_PROHIBITED);
    }
    var bytes = command.getDestinationBytes();
    if (bytes.isEmpty() || bytes.size() > FrameChecks.MAX_DESTINATION_LENGTH) {
      return refused(ErrorCode.ERROR_CODE_SIZE);
    }
    RelayAddress destination;
    try {
      destination = RelayAddress.parse(bytes.toString(StandardCharsets.UTF_8));
    } catch (AddressException e) {
      return refused(ErrorCode.ERROR_CODE_SYNTAX);
    }
    if (destination.blockSize() != session.blockSize()) {
      return refused(ErrorCode.ERROR_CODE_SIZE);
    }
    if (Destinations.refused(destination, forwarding.settings().privateDestinations())) {
      return refused(ErrorCode.ERROR_CODE_FORWARD);
    }
    if (!bucket.tryTake()) {
      return refused(ErrorCode.ERROR_CODE_RATE);
    }
    return new Checked(destination, null);
  }

  /** Opens the circuit's connection, on this session's context. */
  Future<CircuitLink> open(RelayAddress destination) {
    return forwarding.pool().openCircuit(destination);
  }

  /**
   * Starts the splice on {@code opened}: the destination's blocks go to the client as they come
   * (reading pauses while the client's connection has no room), and {@code ended} runs when the
   * destination's side closes.
   */
  void splice(CircuitLink opened, Runnable ended) {
    link = opened;
    link.start(
        block -> {
          if (!session.send(block)) {
            link.close(); // the client is gone, or was cut as a slow reader
          } else if (!session.writable()) {
            link.pause();
            session.writableHandler(link::resume);
          }
        },
        ended);
  }

  /**
   * Passes one client block to the destination.
   *
   * @return false when the destination does not keep up (the caller ends the circuit)
   */
  boolean toDestination(Buffer block) {
    return link.send(Buffer.buffer(block.getBytes()));
  }

  void close() {
    if (link != null) {
      link.close();
    }
  }

  private static Checked refused(ErrorCode code) {
    return new Checked(null, code);
  }
}
