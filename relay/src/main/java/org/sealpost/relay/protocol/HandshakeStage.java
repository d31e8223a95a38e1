package org.sealpost.relay.protocol;

import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.sealpost.proto.codec.BlockException;
import org.sealpost.proto.crypto.noise.NoiseException;
import org.sealpost.proto.crypto.noise.NoiseResponder;
import org.sealpost.proto.crypto.noise.NoiseSuite;
import org.sealpost.proto.crypto.noise.NoiseTransport;
import org.sealpost.proto.v1.ClientHello;
import org.sealpost.proto.v1.ErrorCode;
import org.sealpost.proto.v1.Frame;
import org.sealpost.relay.transport.Session;

/**
 * The relay's side of the Noise NK handshake (protocol §2, §4.2): reads handshake message 1, which
 * must decrypt and carry exactly one ClientHello, and answers with message 2 carrying RelayHello,
 * or Error{VERSION} when there is no common version.
 */
final class HandshakeStage {
  /** The only protocol version this relay speaks. */
  static final int VERSION = 1;

  private final ProtocolSessionHandlerFactory shared;
  private NoiseResponder responder;
  // issue 12: the CreateQueue difficulty this session was told in RelayHello
  private int powBits;

  HandshakeStage(ProtocolSessionHandlerFactory shared) {
    this.shared = shared;
    this.responder =
        new NoiseResponder(
            shared.relayKey(),
            shared.settings().blockSize(),
            NoiseSuite.PRODUCTION,
            shared.random());
  }

  /**
   * Reads message 1 and sends message 2 on {@code session}.
   *
   * @return the session's transport, or null if the handshake failed (the caller closes; after
   *     Error{VERSION} message 2 was sent first)
   */
  NoiseTransport accept(byte[] message1, Session session) {
    List<Frame> frames;
    try {
      frames = shared.handshakeCodec().decode(responder.readHandshake1(message1));
    } catch (NoiseException | BlockException e) {
      return null;
    }
    if (frames.size() != 1 || !frames.get(0).hasClientHello()) {
      return null;
    }
    ClientHello hello = frames.get(0).getClientHello();
    boolean supported = hello.getVersionsList().contains(VERSION);
    powBits = shared.createPow().bitsForNewSession();
    Frame reply =
        supported
            ? Frame.newBuilder()
                .setRelayHello(shared.relayHello().toBuilder().setCreatePowBits(powBits))
                .build()
            : Replies.errorFrame(0, ErrorCode.ERROR_CODE_VERSION);
    byte[] message2;
    try {
      message2 = responder.writeHandshake2(shared.handshakeCodec().encode(reply));
    } catch (BlockException e) {
      throw new IllegalStateException("handshake reply does not fit a block", e);
    }
    session.send(Buffer.buffer(message2));
    if (!supported) {
      return null;
    }
    NoiseTransport transport = responder.transport();
    // transport() zeroed the handshake secrets and the transport owns the keys now; dropping the
    // responder frees the handshake state (cipher, hash, key pairs) for the connection's life
    responder = null;
    return transport;
  }

  /** The proof-of-work difficulty RelayHello announced to this session; 0 = none. */
  int powBits() {
    return powBits;
  }

  /** Zeroes what a handshake that did not finish left behind. */
  void destroy() {
    if (responder != null) {
      responder.destroy();
      responder = null;
    }
  }
}
