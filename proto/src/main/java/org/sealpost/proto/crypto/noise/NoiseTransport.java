package org.sealpost.proto.crypto.noise;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The transport phase of a Sealpost Noise session: every message is exactly B bytes, the AEAD
 * encryption (empty associated data) of a B - 16 byte block plaintext, under the Noise nonce rules
 * (protocol.md §2).
 *
 * <p>Any failure — a block that does not authenticate, a wrong size on the receive path, nonce
 * exhaustion — destroys the whole transport: later calls fail with {@link
 * NoiseException.Reason#BAD_STATE}, and the caller must close the connection. A failed decryption
 * never says which byte was wrong, and the output range is zeroed.
 *
 * <p>Thread model: one thread at a time (for the relay: the connection's event loop). The {@code
 * byte[]}-with-offset and {@link ByteBuffer} methods do not allocate per block beyond the JDK
 * cipher's own small parameter objects.
 */
public final class NoiseTransport {
  /** Bytes the AEAD tag adds to each block. */
  public static final int TAG_LENGTH = CipherState.TAG_LENGTH;

  private static final byte[] NO_AD = new byte[0];

  private final int blockSize;
  private final int plaintextSize;
  private final CipherState send;
  private final CipherState receive;
  private final byte[] handshakeHash;
  private boolean destroyed;

  NoiseTransport(int blockSize, CipherState send, CipherState receive, byte[] handshakeHash) {
    this.blockSize = blockSize;
    this.plaintextSize = blockSize - TAG_LENGTH;
    this.send = send;
    this.receive = receive;
    this.handshakeHash = handshakeHash;
  }

  /** B: the length of every ciphertext block. */
  public int blockSize() {
    return blockSize;
  }

  /** B - 16: the length of every block plaintext. */
  public int plaintextSize() {
    return plaintextSize;
  }

  /** The handshake hash h (HASHLEN bytes: 32 for the production suite), a copy. */
  public byte[] handshakeHash() {
    checkUsable();
    return handshakeHash.clone();
  }

  /** Blocks encrypted so far (the next send nonce). */
  public long blocksSent() {
    return send.nonce();
  }

  /** Blocks decrypted so far (the next receive nonce). */
  public long blocksReceived() {
    return receive.nonce();
  }

  /**
   * Encrypts one block plaintext of exactly B - 16 bytes into a new B-byte array.
   *
   * @throws NoiseException BAD_SIZE, NONCE_EXHAUSTED or BAD_STATE
   */
  public byte[] encrypt(byte[] plaintext) {
    checkUsable();
    if (plaintext == null || plaintext.length != plaintextSize) {
      throw badSize("block plaintext must be exactly B-16 = " + plaintextSize + " bytes");
    }
    byte[] out = new byte[blockSize];
    encrypt(plaintext, 0, out, 0);
    return out;
  }

  /**
   * Encrypts B - 16 bytes of {@code plaintext} from {@code off} into B bytes of {@code out} at
   * {@code outOff}. The ranges must not overlap.
   */
  public void encrypt(byte[] plaintext, int off, byte[] out, int outOff) {
    checkUsable();
    if (!fits(plaintext, off, plaintextSize) || !fits(out, outOff, blockSize)) {
      throw badSize("need B-16 = " + plaintextSize + " plaintext bytes and B = " + blockSize);
    }
    try {
      send.encryptWithAd(NO_AD, plaintext, off, plaintextSize, out, outOff);
    } catch (NoiseException e) {
      destroy();
      throw e;
    }
  }

  /**
   * Encrypts the B - 16 remaining bytes of {@code plaintext} into {@code out} (at least B bytes
   * remaining). Both positions advance.
   */
  public void encrypt(ByteBuffer plaintext, ByteBuffer out) {
    checkUsable();
    if (plaintext == null || out == null) {
      throw badSize("no buffer");
    }
    if (plaintext.remaining() != plaintextSize || out.remaining() < blockSize) {
      throw badSize("need B-16 = " + plaintextSize + " plaintext bytes and B = " + blockSize);
    }
    try {
      send.encryptWithAd(NO_AD, plaintext, out);
    } catch (NoiseException e) {
      destroy();
      throw e;
    }
  }

  /**
   * Decrypts one block of exactly B bytes into a new B - 16 byte array.
   *
   * @throws NoiseException BAD_SIZE, DECRYPT_FAILED, NONCE_EXHAUSTED or BAD_STATE; every one except
   *     BAD_STATE also destroys this transport
   */
  public byte[] decrypt(byte[] block) {
    checkUsable();
    if (block == null || block.length != blockSize) {
      destroy();
      throw badSize("blocks must be exactly B = " + blockSize + " bytes");
    }
    byte[] out = new byte[plaintextSize];
    decrypt(block, 0, out, 0);
    return out;
  }

  /**
   * Decrypts B bytes of {@code block} from {@code off} into B - 16 bytes of {@code out} at {@code
   * outOff}. The ranges must not overlap.
   */
  public void decrypt(byte[] block, int off, byte[] out, int outOff) {
    checkUsable();
    try {
      if (!fits(block, off, blockSize) || !fits(out, outOff, plaintextSize)) {
        throw badSize("need B = " + blockSize + " block bytes and B-16 = " + plaintextSize);
      }
      receive.decryptWithAd(NO_AD, block, off, blockSize, out, outOff);
    } catch (NoiseException e) {
      destroy();
      throw e;
    }
  }

  /**
   * Decrypts the B remaining bytes of {@code block} into {@code out} (at least B - 16 bytes
   * remaining). Both positions advance on success.
   */
  public void decrypt(ByteBuffer block, ByteBuffer out) {
    checkUsable();
    try {
      if (block == null || out == null) {
        throw badSize("no buffer");
      }
      if (block.remaining() != blockSize || out.remaining() < plaintextSize) {
        throw badSize("need B = " + blockSize + " block bytes and B-16 = " + plaintextSize);
      }
      receive.decryptWithAd(NO_AD, block, out);
    } catch (NoiseException e) {
      destroy();
      throw e;
    }
  }

  /** Zeroes both keys and the handshake hash. Idempotent. */
  public void destroy() {
    if (!destroyed) {
      destroyed = true;
      send.destroy();
      receive.destroy();
      Arrays.fill(handshakeHash, (byte) 0);
    }
  }

  /** Whether {@link #destroy()} ran (explicitly or after a failure). */
  public boolean isDestroyed() {
    return destroyed;
  }

  private void checkUsable() {
    if (destroyed) {
      throw new NoiseException(NoiseException.Reason.BAD_STATE, "transport was destroyed");
    }
  }

  private static boolean fits(byte[] a, int off, int len) {
    return a != null && off >= 0 && off <= a.length - len;
  }

  private static NoiseException badSize(String message) {
    return new NoiseException(NoiseException.Reason.BAD_SIZE, message);
  }
}
