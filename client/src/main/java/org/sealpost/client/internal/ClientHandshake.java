package org.sealpost.client.internal;

import java.security.SecureRandom;
import java.util.List;
import org.sealpost.client.ClientError;
import org.sealpost.client.RelayInfo;
import org.sealpost.client.SealpostException;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.proto.codec.BlockCodec;
import org.sealpost.proto.codec.BlockException;
import org.sealpost.proto.crypto.noise.NoiseException;
import org.sealpost.proto.crypto.noise.NoiseInitiator;
import org.sealpost.proto.crypto.noise.NoiseSuite;
import org.sealpost.proto.crypto.noise.NoiseTransport;
import org.sealpost.proto.v1.ClientHello;
import org.sealpost.proto.v1.Frame;
import org.sealpost.proto.v1.RelayHello;

/**
 * The client's side of the Noise NK handshake (docs/protocol.md §2–3), fed bytes only: message 1
 * carries a ClientHello, message 2 must authenticate with the relay key of the address and carry a
 * RelayHello for the version offered and the address's B and E. Every failure is a {@link
 * SealpostException} saying which rule broke.
 */
final class ClientHandshake {
  static final int PROTOCOL_VERSION = 1;

  /** What a completed handshake gives the session. */
  record Established(NoiseTransport transport, RelayInfo info) {}

  private final int blockSize;
  private final String relayName;
  private final NoiseInitiator initiator;
  private boolean done;

  /**
   * @throws SealpostException HANDSHAKE if the address's key or B cannot start a handshake
   */
  ClientHandshake(RelayAddress address, SecureRandom random) {
    this.blockSize = address.blockSize();
    this.relayName = address.toString();
    try {
      this.initiator =
          new NoiseInitiator(address.relayKey(), blockSize, NoiseSuite.PRODUCTION, random);
    } catch (NoiseException e) {
      throw cannotStart(e);
    }
  }

  /** Handshake message 1: exactly B bytes. */
  byte[] message1() {
    Frame hello =
        Frame.newBuilder()
            .setClientHello(ClientHello.newBuilder().addVersions(PROTOCOL_VERSION))
            .build();
    try {
      return initiator.writeHandshake1(BlockCodec.handshake(blockSize).encode(hello));
    } catch (BlockException | NoiseException e) {
      throw cannotStart(e);
    }
  }

  /**
   * Reads handshake message 2 (exactly B bytes) and checks the RelayHello in it.
   *
   * @throws SealpostException HANDSHAKE if it does not authenticate with the relay key, VERSION for
   *     a version not offered, PROTOCOL for anything else malformed, or the relay's error
   */
  Established finish(byte[] message2) {
    byte[] payload;
    try {
      payload = initiator.readHandshake2(message2);
    } catch (NoiseException e) {
      throw new SealpostException(
          ClientError.HANDSHAKE,
          "the handshake reply from "
              + relayName
              + " does not authenticate: it does not hold the relay key in the address",
          e);
    }
    Frame frame;
    try {
      List<Frame> frames = BlockCodec.handshake(blockSize).decode(payload);
      if (frames.size() != 1) {
        throw protocolError("handshake reply carries " + frames.size() + " frames, expected 1");
      }
      frame = frames.get(0);
    } catch (BlockException e) {
      throw protocolError("handshake reply does not decode (" + e.error() + ")");
    }
    if (frame.hasError()) {
      throw RelayErrors.of(frame.getError().getCode(), "handshake", relayName);
    }
    if (!frame.hasRelayHello()) {
      throw protocolError("handshake reply is not a RelayHello");
    }
    RelayHello hello = frame.getRelayHello();
    if (hello.getVersion() != PROTOCOL_VERSION) {
      throw new SealpostException(
          ClientError.VERSION,
          relayName + " chose protocol version " + hello.getVersion() + ", not offered");
    }
    if (hello.getBlockSize() != blockSize
        || hello.getEnvelopeSize() != BlockCodec.envelopeSize(blockSize)) {
      throw protocolError("RelayHello announces a block or envelope size other than B, E");
    }
    done = true;
    return new Established(initiator.transport(), RelayInfo.of(hello));
  }

  /** Forgets the handshake's keys unless it completed (the transport owns them then). */
  void destroy() {
    if (!done) {
      initiator.destroy();
    }
  }

  private SealpostException protocolError(String message) {
    return SessionFailures.protocol(relayName, message);
  }

  private static SealpostException cannotStart(Exception e) {
    return new SealpostException(ClientError.HANDSHAKE, "cannot start the Noise handshake", e);
  }
}
