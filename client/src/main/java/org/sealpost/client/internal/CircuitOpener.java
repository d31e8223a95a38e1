package org.sealpost.client.internal;

import java.security.SecureRandom;
import java.util.List;
import org.sealpost.client.ClientError;
import org.sealpost.client.SealpostException;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.proto.codec.BlockCodec;
import org.sealpost.proto.codec.BlockException;
import org.sealpost.proto.crypto.noise.NoiseException;
import org.sealpost.proto.crypto.noise.NoiseTransport;
import org.sealpost.proto.session.InitiatorHandshake;
import org.sealpost.proto.v1.CircuitOpen;
import org.sealpost.proto.v1.ErrorCode;
import org.sealpost.proto.v1.Frame;

/**
 * The first steps of a session received through a first relay (protocol §11): a handshake with the
 * first relay, one {@code CircuitOpen} naming the destination, and its reply. After {@code Ok} the
 * first relay's session is over (its keys are destroyed here) and the connection carries the
 * client's own session with the destination, which {@link ClientSession} then opens as if it had
 * connected directly. Failures name the step: an unusable first relay is {@code FORWARD_REFUSED}, a
 * destination it cannot reach {@code FORWARD_UNREACHABLE}.
 */
final class CircuitOpener {
  private static final int CORR = 1;

  private final RelayAddress via;
  private final RelayAddress destination;
  private final String viaName;
  private InitiatorHandshake initiator;
  private NoiseTransport transport;

  /**
   * @throws SealpostException FORWARD_REFUSED when the two relays' block sizes differ
   */
  CircuitOpener(RelayAddress via, RelayAddress destination, SecureRandom random) {
    this.via = via;
    this.destination = destination;
    this.viaName = "first relay " + via;
    if (via.blockSize() != destination.blockSize()) {
      throw refused(
          "its blocks (B = "
              + via.blockSize()
              + ") differ from the destination's (B = "
              + destination.blockSize()
              + ")");
    }
    try {
      this.initiator = new InitiatorHandshake(via.relayKey(), via.blockSize(), random);
    } catch (NoiseException e) {
      throw new SealpostException(ClientError.HANDSHAKE, "cannot start the Noise handshake", e);
    }
  }

  /** Handshake message 1 to the first relay. */
  byte[] message1() {
    try {
      return initiator.message1();
    } catch (BlockException | NoiseException e) {
      throw new SealpostException(ClientError.HANDSHAKE, "cannot start the Noise handshake", e);
    }
  }

  /** Whether the first relay's handshake is done and the CircuitOpen's reply is awaited. */
  boolean awaitingReply() {
    return transport != null;
  }

  /** Reads the first relay's handshake message 2 and returns the block carrying CircuitOpen. */
  byte[] onHandshake2(byte[] message2) {
    InitiatorHandshake.Established done;
    try {
      done = initiator.finish(message2);
    } catch (InitiatorHandshake.HandshakeException e) {
      throw new SealpostException(
          e.failure() == InitiatorHandshake.Failure.NOT_AUTHENTIC
              ? ClientError.HANDSHAKE
              : ClientError.PROTOCOL,
          viaName + ": " + e.getMessage(),
          e);
    }
    initiator = null;
    transport = done.transport();
    if (!done.hello().getCircuitsSupported()) {
      throw refused("it does not open circuits");
    }
    Frame open =
        Frame.newBuilder()
            .setCorrId(CORR)
            .setCircuitOpen(CircuitOpen.newBuilder().setDestination(destination.format()))
            .build();
    try {
      return transport.encrypt(BlockCodec.transport(via.blockSize()).encode(open));
    } catch (BlockException e) {
      throw new SealpostException(ClientError.BAD_ADDRESS, "the destination address is too long");
    }
  }

  /**
   * Reads the reply to CircuitOpen; returns normally on {@code Ok}, after which the first relay's
   * keys are gone and the next block on the connection is the destination's.
   */
  void onReply(byte[] block) {
    List<Frame> frames;
    try {
      frames = BlockCodec.transport(via.blockSize()).decode(transport.decrypt(block));
    } catch (NoiseException | BlockException e) {
      throw SessionFailures.protocol(viaName, "a block from the first relay does not decode");
    } finally {
      transport.destroy();
    }
    Frame reply = frames.stream().filter(f -> f.getCorrId() == CORR).findFirst().orElse(null);
    if (reply != null && reply.hasOk()) {
      return;
    }
    if (reply == null || !reply.hasError()) {
      throw SessionFailures.protocol(viaName, "the first relay did not answer CircuitOpen");
    }
    ErrorCode code = reply.getError().getCode();
    throw switch (code) {
      case ERROR_CODE_FORWARD ->
          new SealpostException(
              ClientError.FORWARD_UNREACHABLE,
              viaName + " cannot reach " + destination + " (FORWARD)",
              code,
              null);
      case ERROR_CODE_PROHIBITED, ERROR_CODE_SYNTAX, ERROR_CODE_SIZE ->
          refused("it answered " + code.name().substring("ERROR_CODE_".length()));
      default -> RelayErrors.of(code, "circuit", viaName);
    };
  }

  /** Forgets whatever keys are left. */
  void destroy() {
    if (initiator != null) {
      initiator.destroy();
    }
    if (transport != null) {
      transport.destroy();
    }
  }

  private SealpostException refused(String why) {
    return new SealpostException(
        ClientError.FORWARD_REFUSED, viaName + " refuses to carry the session: " + why);
  }
}
