package org.sealpost.relay.protocol;

import com.google.protobuf.ByteString;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.sealpost.proto.codec.BlockException;
import org.sealpost.proto.crypto.X25519KeyPair;
import org.sealpost.proto.crypto.noise.NoiseResponder;
import org.sealpost.proto.crypto.noise.NoiseSuite;
import org.sealpost.proto.crypto.noise.NoiseTransport;
import org.sealpost.proto.crypto.noise.RotatingResponder;
import org.sealpost.proto.v1.ClientHello;
import org.sealpost.proto.v1.ErrorCode;
import org.sealpost.proto.v1.Frame;
import org.sealpost.proto.v1.RelayHello;
import org.sealpost.relay.crypto.RelayKeySuccessor;
import org.sealpost.relay.transport.Session;

/**
 * The relay's side of the Noise NK handshake (protocol §2, §4.2): reads handshake message 1, which
 * must decrypt and carry exactly one ClientHello, and answers with message 2 carrying RelayHello,
 * or Error{VERSION} when there is no common version. During a relay-key rotation it accepts message
 * 1 made for either key and announces the successor to sessions made with the old one.
 */
final class HandshakeStage {
  /** The only protocol version this relay speaks. */
  static final int VERSION = 1;

  private final ProtocolSessionHandlerFactory shared;
  private NoiseResponder responder;
  // issue 12: the CreateQueue difficulty this session was told in RelayHello
  private int powBits;

  // issue 12: whether message 1 was made for the current key while a successor is announced
  private boolean announceSuccessor;

  HandshakeStage(ProtocolSessionHandlerFactory shared) {
    this.shared = shared;
  }

  /**
   * Reads message 1 and sends message 2 on {@code session}.
   *
   * @return the session's transport, or null if the handshake failed (the caller closes; after
   *     Error{VERSION} message 2 was sent first)
   */
  NoiseTransport accept(byte[] message1, Session session) {
    RelayKeySuccessor successor = shared.successor();
    byte[] payload = readMessage1(message1, successor);
    if (payload == null) {
      return null;
    }
    List<Frame> frames;
    try {
      frames = shared.handshakeCodec().decode(payload);
    } catch (BlockException e) {
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
            ? Frame.newBuilder().setRelayHello(relayHello(successor)).build()
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

  // issue 12: relay-key rotation (protocol §4.2.1)
  /**
   * Decrypts message 1 under the current key and, during a rotation, under the successor too, both
   * always ({@link RotatingResponder}); keeps the responder whose key worked.
   *
   * @return the payload, or null if it decrypts under neither key
   */
  private byte[] readMessage1(byte[] message1, RelayKeySuccessor successor) {
    List<X25519KeyPair> keys =
        successor == null
            ? List.of(shared.relayKey())
            : List.of(shared.relayKey(), successor.key());
    RotatingResponder.Accepted accepted =
        RotatingResponder.read(
            keys, message1, shared.settings().blockSize(), NoiseSuite.PRODUCTION, shared.random());
    if (accepted == null) {
      return null;
    }
    responder = accepted.responder();
    announceSuccessor = successor != null && accepted.keyIndex() == 0;
    return accepted.payload();
  }

  private RelayHello relayHello(RelayKeySuccessor successor) {
    RelayHello.Builder hello = shared.relayHello().toBuilder().setCreatePowBits(powBits);
    if (announceSuccessor) {
      // inside the session made with the current key: authenticated by the key clients pinned
      hello
          .setSuccessorKey(ByteString.copyFrom(successor.key().publicKey()))
          .setTransitionEnd(successor.transitionEndEpochSecond());
    }
    return hello.build();
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
