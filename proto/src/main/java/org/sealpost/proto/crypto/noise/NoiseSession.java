package org.sealpost.proto.crypto.noise;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.sealpost.proto.crypto.X25519KeyPair;

/**
 * A Sealpost Noise NK session: the prologue, the block-size rules and the B-padded handshake
 * messages (protocol.md §2) shared by {@link NoiseInitiator} (client) and {@link NoiseResponder}
 * (relay). After the two handshake messages, {@link #transport()} carries the B-byte blocks.
 *
 * <p>Any failure destroys the session; the caller closes the connection. One thread at a time.
 */
public abstract sealed class NoiseSession permits NoiseInitiator, NoiseResponder {
  /** Smallest block size B. */
  public static final int MIN_BLOCK_SIZE = 1024;

  /** Largest block size B (a Noise message is at most 65535 bytes). */
  public static final int MAX_BLOCK_SIZE = 65535;

  /** A handshake message is e.pub (32) ‖ AEAD(payload) (payload + 16): B = payload + 48. */
  public static final int HANDSHAKE_OVERHEAD = X25519KeyPair.KEY_LENGTH + CipherState.TAG_LENGTH;

  private static final byte[] PROLOGUE_LABEL = "sealpost/1".getBytes(StandardCharsets.US_ASCII);

  private final int blockSize;
  private final HandshakeState state;
  private NoiseTransport transport;
  private boolean destroyed;

  NoiseSession(int blockSize, HandshakeState state) {
    this.blockSize = blockSize;
    this.state = state;
  }

  static void checkBlockSize(int blockSize) {
    if (blockSize < MIN_BLOCK_SIZE || blockSize > MAX_BLOCK_SIZE) {
      throw new NoiseException(
          NoiseException.Reason.BAD_SIZE, "block size B must be in [1024, 65535]");
    }
  }

  /** The prologue for block size B: {@code "sealpost/1" ‖ uint32 big-endian B}. */
  public static byte[] prologue(int blockSize) {
    return ByteBuffer.allocate(PROLOGUE_LABEL.length + 4)
        .put(PROLOGUE_LABEL)
        .putInt(blockSize)
        .array();
  }

  /** B. */
  public final int blockSize() {
    return blockSize;
  }

  /** B - 48: the size of both handshake payloads. */
  public final int handshakePayloadSize() {
    return blockSize - HANDSHAKE_OVERHEAD;
  }

  /**
   * The transport after message 2 (the same instance on every call). Taking it zeroes the handshake
   * secrets.
   *
   * @throws NoiseException BAD_STATE before the handshake completed or after a failure
   */
  public final NoiseTransport transport() {
    checkUsable();
    if (transport == null) {
      if (!state.isComplete()) {
        throw new NoiseException(NoiseException.Reason.BAD_STATE, "handshake not complete");
      }
      transport =
          new NoiseTransport(
              blockSize, state.sendCipher(), state.receiveCipher(), state.handshakeHash());
      state.destroy();
    }
    return transport;
  }

  /** Zeroes every secret of the session, including its transport. Idempotent. */
  public final void destroy() {
    destroyed = true;
    state.destroy();
    if (transport != null) {
      transport.destroy();
    }
  }

  final byte[] write(byte[] payload) {
    checkUsable();
    if (payload == null || payload.length != handshakePayloadSize()) {
      throw new NoiseException(
          NoiseException.Reason.BAD_SIZE,
          "handshake payload must be exactly B-48 = " + handshakePayloadSize() + " bytes");
    }
    byte[] out = new byte[blockSize];
    state.writeMessage(payload, 0, payload.length, out, 0);
    return out;
  }

  final byte[] read(byte[] message) {
    checkUsable();
    if (message == null || message.length != blockSize) {
      destroy();
      throw new NoiseException(
          NoiseException.Reason.BAD_SIZE,
          "handshake messages must be exactly B = " + blockSize + " bytes");
    }
    byte[] payload = new byte[handshakePayloadSize()];
    state.readMessage(message, 0, message.length, payload, 0);
    return payload;
  }

  private void checkUsable() {
    if (destroyed) {
      throw new NoiseException(NoiseException.Reason.BAD_STATE, "session was destroyed");
    }
  }
}
