package org.sealpost.proto.session;

import java.security.SecureRandom;
import java.util.List;
import org.sealpost.proto.codec.BlockCodec;
import org.sealpost.proto.codec.BlockException;
import org.sealpost.proto.crypto.noise.NoiseException;
import org.sealpost.proto.crypto.noise.NoiseInitiator;
import org.sealpost.proto.crypto.noise.NoiseSuite;
import org.sealpost.proto.crypto.noise.NoiseTransport;
import org.sealpost.proto.v1.ClientHello;
import org.sealpost.proto.v1.ErrorCode;
import org.sealpost.proto.v1.Frame;
import org.sealpost.proto.v1.RelayHello;

/**
 * The initiator of a Noise NK session to a relay (protocol §2–§4.2): handshake message 1 carries a
 * {@code ClientHello} offering version 1; message 2 must authenticate with the relay key and carry
 * a {@code RelayHello} for version 1 with the B and E the initiator expects. Fed bytes only, no
 * I/O: the client library and the relay's relay-to-relay sessions wrap it in their own sockets.
 */
public final class InitiatorHandshake {
  /** The protocol version offered and required. */
  public static final int PROTOCOL_VERSION = 1;

  /** Which rule handshake message 2 broke. */
  public enum Failure {
    /** It does not authenticate: the peer does not hold the relay key (or uses another B). */
    NOT_AUTHENTIC,
    /** It does not decode, or does not carry exactly one RelayHello. */
    MALFORMED,
    /** The relay answered an Error frame ({@link HandshakeException#relayCode()}). */
    REFUSED,
    /** The relay chose a version that was not offered. */
    VERSION,
    /** RelayHello announces a block or envelope size other than B and E. */
    SIZES
  }

  /** A failed handshake; the message names the rule, never a key or an address. */
  public static final class HandshakeException extends Exception {
    private static final long serialVersionUID = 1L;
    private final Failure failure;
    private final transient ErrorCode relayCode;

    HandshakeException(Failure failure, String message, ErrorCode relayCode, Throwable cause) {
      super(message, cause);
      this.failure = failure;
      this.relayCode = relayCode;
    }

    public Failure failure() {
      return failure;
    }

    /** The relay's error code for {@link Failure#REFUSED}, else null. */
    public ErrorCode relayCode() {
      return relayCode;
    }
  }

  /** What a completed handshake gives the session. */
  public record Established(NoiseTransport transport, RelayHello hello) {}

  private final int blockSize;
  private final NoiseInitiator initiator;
  private boolean done;

  /**
   * @throws NoiseException if the relay key is unusable
   */
  public InitiatorHandshake(byte[] relayKey, int blockSize, SecureRandom random)
      throws NoiseException {
    this.blockSize = blockSize;
    this.initiator = new NoiseInitiator(relayKey, blockSize, NoiseSuite.PRODUCTION, random);
  }

  /** Handshake message 1: exactly B bytes. */
  public byte[] message1() throws BlockException, NoiseException {
    Frame hello =
        Frame.newBuilder()
            .setClientHello(ClientHello.newBuilder().addVersions(PROTOCOL_VERSION))
            .build();
    return initiator.writeHandshake1(BlockCodec.handshake(blockSize).encode(hello));
  }

  /** Reads handshake message 2 (exactly B bytes) and checks the RelayHello in it. */
  public Established finish(byte[] message2) throws HandshakeException {
    byte[] payload;
    try {
      payload = initiator.readHandshake2(message2);
    } catch (NoiseException e) {
      throw new HandshakeException(
          Failure.NOT_AUTHENTIC, "the handshake reply does not authenticate", null, e);
    }
    Frame frame;
    try {
      List<Frame> frames = BlockCodec.handshake(blockSize).decode(payload);
      if (frames.size() != 1) {
        throw new HandshakeException(
            Failure.MALFORMED,
            "handshake reply carries " + frames.size() + " frames, expected 1",
            null,
            null);
      }
      frame = frames.get(0);
    } catch (BlockException e) {
      throw new HandshakeException(
          Failure.MALFORMED, "handshake reply does not decode (" + e.error() + ")", null, e);
    }
    if (frame.hasError()) {
      throw new HandshakeException(
          Failure.REFUSED, "the relay refused the handshake", frame.getError().getCode(), null);
    }
    if (!frame.hasRelayHello()) {
      throw new HandshakeException(
          Failure.MALFORMED, "handshake reply is not a RelayHello", null, null);
    }
    RelayHello hello = frame.getRelayHello();
    if (hello.getVersion() != PROTOCOL_VERSION) {
      throw new HandshakeException(
          Failure.VERSION,
          "the relay chose protocol version " + hello.getVersion() + ", not offered",
          null,
          null);
    }
    if (hello.getBlockSize() != blockSize
        || hello.getEnvelopeSize() != BlockCodec.envelopeSize(blockSize)) {
      throw new HandshakeException(
          Failure.SIZES,
          "RelayHello announces a block or envelope size other than B, E",
          null,
          null);
    }
    done = true;
    return new Established(initiator.transport(), hello);
  }

  /** Forgets the handshake's keys unless it completed (the transport owns them then). */
  public void destroy() {
    if (!done) {
      initiator.destroy();
    }
  }
}
