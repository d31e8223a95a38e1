package org.sealpost.client.internal;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;
import org.sealpost.client.ClientError;
import org.sealpost.client.RelayInfo;
import org.sealpost.client.RelayKeyChange;
import org.sealpost.client.SealpostException;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.proto.codec.BlockException;
import org.sealpost.proto.crypto.noise.NoiseException;
import org.sealpost.proto.crypto.noise.NoiseTransport;
import org.sealpost.proto.session.InitiatorHandshake;
import org.sealpost.proto.v1.RelayHello;

/**
 * The client's side of the Noise NK handshake (docs/protocol.md §2–3): the shared {@link
 * InitiatorHandshake} of {@code proto}, with every failure turned into a {@link SealpostException}
 * saying which rule broke.
 */
final class ClientHandshake {
  static final int PROTOCOL_VERSION = InitiatorHandshake.PROTOCOL_VERSION;

  /** What a completed handshake gives the session. */
  record Established(
      NoiseTransport transport, RelayInfo info, Optional<RelayKeyChange> keyChange) {}

  private final RelayAddress address;
  private final String relayName;
  private final InitiatorHandshake initiator;

  /**
   * @throws SealpostException HANDSHAKE if the address's key or B cannot start a handshake
   */
  ClientHandshake(RelayAddress address, SecureRandom random) {
    this.address = address;
    this.relayName = address.toString();
    try {
      this.initiator = new InitiatorHandshake(address.relayKey(), address.blockSize(), random);
    } catch (NoiseException e) {
      throw cannotStart(e);
    }
  }

  /** Handshake message 1: exactly B bytes. */
  byte[] message1() {
    try {
      return initiator.message1();
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
    try {
      InitiatorHandshake.Established done = initiator.finish(message2);
      return new Established(
          done.transport(), RelayInfo.of(done.hello()), announced(address, done.hello()));
    } catch (InitiatorHandshake.HandshakeException e) {
      throw switch (e.failure()) {
        case NOT_AUTHENTIC ->
            new SealpostException(
                ClientError.HANDSHAKE,
                "the handshake reply from "
                    + relayName
                    + " does not authenticate: it does not hold the relay key in the address",
                e);
        case REFUSED -> RelayErrors.of(e.relayCode(), "handshake", relayName);
        case VERSION ->
            new SealpostException(ClientError.VERSION, relayName + ": " + e.getMessage());
        case MALFORMED, SIZES -> SessionFailures.protocol(relayName, e.getMessage());
      };
    }
  }

  // issue 12: relay-key rotation
  /**
   * The successor key the relay announced (protocol §4.2.1), checked: 32 bytes, not the pinned key,
   * not all zero. Anything else is ignored and the session goes on with the pinned key.
   */
  static Optional<RelayKeyChange> announced(RelayAddress address, RelayHello hello) {
    byte[] key = hello.getSuccessorKey().toByteArray();
    if (key.length != RelayAddress.KEY_LENGTH
        || MessageDigest.isEqual(key, address.relayKey())
        || MessageDigest.isEqual(key, new byte[RelayAddress.KEY_LENGTH])) {
      return Optional.empty();
    }
    return Optional.of(
        new RelayKeyChange(
            address,
            address.withRelayKey(key),
            Instant.ofEpochSecond(Math.max(0, hello.getTransitionEnd()))));
  }

  /** Forgets the handshake's keys unless it completed (the transport owns them then). */
  void destroy() {
    initiator.destroy();
  }

  private static SealpostException cannotStart(Exception e) {
    return new SealpostException(ClientError.HANDSHAKE, "cannot start the Noise handshake", e);
  }
}
