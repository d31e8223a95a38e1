package org.sealpost.proto.crypto.noise;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;

/**
 * A Noise CipherState (spec rev 34, §5.1): a 32-byte key {@code k} (or none) and a 64-bit nonce
 * {@code n}. The nonce value 2^64 - 1 is reserved: reaching it ends the state with {@link
 * NoiseException.Reason#NONCE_EXHAUSTED}. Authentication failures leave the nonce unchanged.
 *
 * <p>One JDK {@link Cipher} is created per state and re-initialised per message (the JDK requires a
 * fresh {@code init} for every AEAD nonce). Not thread-safe: one thread at a time.
 */
public final class CipherState {
  /** Key length in bytes for both cipher functions. */
  public static final int KEY_LENGTH = 32;

  /** Authentication tag length in bytes for both cipher functions. */
  public static final int TAG_LENGTH = 16;

  /** The reserved nonce 2^64 - 1, as an unsigned value in a {@code long}. */
  static final long MAX_NONCE = -1L;

  private static final byte[] ZEROS = new byte[KEY_LENGTH];

  /**
   * A nonce Noise never produces (its first four bytes are always zero), used only to re-arm the
   * JDK's ChaCha20-Poly1305, which refuses an {@code init} with the same key and nonce as the
   * previous one — even for decryption, where Noise allows a retry after an authentication failure.
   * Nothing is ever encrypted under it.
   */
  private static final byte[] REARM_NONCE = {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};

  private static final byte[] NO_AD = new byte[0];

  private final NoiseCipher kind;
  private final Cipher cipher;
  private final byte[] iv = new byte[12];
  private RawKey key;
  private long nonce;
  private boolean initialized;
  private long lastInitNonce;
  private boolean destroyed;

  /** Creates a state with no key. */
  public CipherState(NoiseCipher kind) {
    this.kind = kind;
    try {
      this.cipher = Cipher.getInstance(kind.transformation());
    } catch (GeneralSecurityException e) {
      throw new NoiseException(
          NoiseException.Reason.PROVIDER_FAILURE,
          kind.transformation() + " is not available in this JVM",
          e);
    }
  }

  /** The cipher function of this state. */
  public NoiseCipher cipher() {
    return kind;
  }

  /** InitializeKey(k): sets the key (copied; {@code null} means no key) and resets n to 0. */
  public void initializeKey(byte[] k) {
    checkNotDestroyed();
    if (k != null && k.length != KEY_LENGTH) {
      throw new NoiseException(NoiseException.Reason.BAD_KEY, "cipher keys are 32 bytes");
    }
    if (key != null) {
      key.destroy();
    }
    key = k == null ? null : new RawKey(k.clone(), kind.keyAlgorithm());
    nonce = 0;
  }

  /** HasKey(). */
  public boolean hasKey() {
    return key != null;
  }

  /** SetNonce(n): n is an unsigned 64-bit value. */
  public void setNonce(long n) {
    nonce = n;
  }

  /** The next nonce (unsigned), i.e. the number of messages processed since the key was set. */
  public long nonce() {
    return nonce;
  }

  /**
   * EncryptWithAd: writes {@code len + 16} bytes (or {@code len} without a key) at {@code outOff}.
   * {@code in} and {@code out} must not overlap.
   *
   * @return the number of bytes written
   */
  public int encryptWithAd(byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff) {
    checkNotDestroyed();
    int outLen = key == null ? len : len + TAG_LENGTH;
    checkRange(in, inOff, len);
    checkRange(out, outOff, outLen);
    if (key == null) {
      System.arraycopy(in, inOff, out, outOff, len);
      return len;
    }
    checkNonce();
    try {
      init(Cipher.ENCRYPT_MODE, nonce, ad);
      int written = cipher.doFinal(in, inOff, len, out, outOff);
      nonce++;
      return written;
    } catch (GeneralSecurityException e) {
      throw new NoiseException(NoiseException.Reason.PROVIDER_FAILURE, "encryption failed", e);
    }
  }

  /**
   * EncryptWithAd over buffers: consumes all of {@code in}, writes at {@code out}'s position.
   *
   * @return the number of bytes written
   */
  public int encryptWithAd(byte[] ad, ByteBuffer in, ByteBuffer out) {
    checkNotDestroyed();
    int len = in.remaining();
    int outLen = key == null ? len : len + TAG_LENGTH;
    if (out.isReadOnly() || in == out) {
      throw new NoiseException(NoiseException.Reason.BAD_SIZE, "output buffer unusable");
    }
    if (out.remaining() < outLen) {
      throw new NoiseException(NoiseException.Reason.BAD_SIZE, "output buffer too small");
    }
    if (key == null) {
      out.put(in);
      return len;
    }
    checkNonce();
    try {
      init(Cipher.ENCRYPT_MODE, nonce, ad);
      int written = cipher.doFinal(in, out);
      nonce++;
      return written;
    } catch (GeneralSecurityException e) {
      throw new NoiseException(NoiseException.Reason.PROVIDER_FAILURE, "encryption failed", e);
    }
  }

  /**
   * DecryptWithAd: writes {@code len - 16} bytes (or {@code len} without a key) at {@code outOff}.
   * On an authentication failure the nonce is unchanged and the output range is zeroed.
   *
   * @return the number of bytes written
   */
  public int decryptWithAd(byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff) {
    checkNotDestroyed();
    checkRange(in, inOff, len);
    if (key == null) {
      checkRange(out, outOff, len);
      System.arraycopy(in, inOff, out, outOff, len);
      return len;
    }
    if (len < TAG_LENGTH) {
      throw new NoiseException(NoiseException.Reason.BAD_SIZE, "ciphertext shorter than its tag");
    }
    checkRange(out, outOff, len - TAG_LENGTH);
    checkNonce();
    try {
      init(Cipher.DECRYPT_MODE, nonce, ad);
      int written = cipher.doFinal(in, inOff, len, out, outOff);
      nonce++;
      return written;
    } catch (AEADBadTagException e) {
      Arrays.fill(out, outOff, outOff + len - TAG_LENGTH, (byte) 0);
      throw new NoiseException(NoiseException.Reason.DECRYPT_FAILED, "authentication failed");
    } catch (GeneralSecurityException e) {
      Arrays.fill(out, outOff, outOff + len - TAG_LENGTH, (byte) 0);
      throw new NoiseException(NoiseException.Reason.DECRYPT_FAILED, "decryption failed");
    }
  }

  /**
   * DecryptWithAd over buffers: consumes all of {@code in}, writes at {@code out}'s position.
   *
   * @return the number of bytes written
   */
  public int decryptWithAd(byte[] ad, ByteBuffer in, ByteBuffer out) {
    checkNotDestroyed();
    int len = in.remaining();
    if (out.isReadOnly() || in == out) {
      throw new NoiseException(NoiseException.Reason.BAD_SIZE, "output buffer unusable");
    }
    if (key == null) {
      if (out.remaining() < len) {
        throw new NoiseException(NoiseException.Reason.BAD_SIZE, "output buffer too small");
      }
      out.put(in);
      return len;
    }
    if (len < TAG_LENGTH) {
      throw new NoiseException(NoiseException.Reason.BAD_SIZE, "ciphertext shorter than its tag");
    }
    if (out.remaining() < len - TAG_LENGTH) {
      throw new NoiseException(NoiseException.Reason.BAD_SIZE, "output buffer too small");
    }
    checkNonce();
    int outStart = out.position();
    try {
      init(Cipher.DECRYPT_MODE, nonce, ad);
      int written = cipher.doFinal(in, out);
      nonce++;
      return written;
    } catch (GeneralSecurityException e) {
      for (int i = outStart; i < outStart + len - TAG_LENGTH; i++) {
        out.put(i, (byte) 0);
      }
      out.position(outStart);
      throw new NoiseException(NoiseException.Reason.DECRYPT_FAILED, "authentication failed");
    }
  }

  /** Rekey(): k = first 32 bytes of ENCRYPT(k, 2^64 - 1, empty, 32 zero bytes); n unchanged. */
  public void rekey() {
    checkNotDestroyed();
    if (key == null) {
      throw new NoiseException(NoiseException.Reason.BAD_STATE, "rekey without a key");
    }
    byte[] out = new byte[KEY_LENGTH + TAG_LENGTH];
    try {
      init(Cipher.ENCRYPT_MODE, MAX_NONCE, NO_AD);
      cipher.doFinal(ZEROS, 0, KEY_LENGTH, out, 0);
    } catch (GeneralSecurityException e) {
      throw new NoiseException(NoiseException.Reason.PROVIDER_FAILURE, "rekey failed", e);
    }
    key.destroy();
    key = new RawKey(Arrays.copyOf(out, KEY_LENGTH), kind.keyAlgorithm());
    Arrays.fill(out, (byte) 0);
  }

  /** Zeroes the key; every later call fails with {@link NoiseException.Reason#BAD_STATE}. */
  public void destroy() {
    if (key != null) {
      key.destroy();
      key = null;
    }
    destroyed = true;
  }

  /** A copy of the raw key, for test vectors and key export. */
  byte[] keyBytes() {
    checkNotDestroyed();
    return key == null ? null : key.getEncoded();
  }

  private void init(int mode, long n, byte[] ad) throws GeneralSecurityException {
    AlgorithmParameterSpec spec;
    if (kind == NoiseCipher.AESGCM) {
      for (int i = 0; i < 8; i++) {
        iv[4 + i] = (byte) (n >>> (56 - 8 * i));
      }
      spec = new GCMParameterSpec(TAG_LENGTH * 8, iv);
    } else {
      for (int i = 0; i < 8; i++) {
        iv[4 + i] = (byte) (n >>> (8 * i));
      }
      spec = new IvParameterSpec(iv);
      // Only for decryption: the JDK compares key bytes, so re-arm whenever the nonce repeats
      // (a retry, or a key with the same bytes starting at 0 again). Encryption keeps the JDK's
      // refusal as a safety net against nonce reuse.
      if (mode == Cipher.DECRYPT_MODE && initialized && n == lastInitNonce) {
        cipher.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(REARM_NONCE));
      }
    }
    cipher.init(mode, key, spec);
    initialized = true;
    lastInitNonce = n;
    if (ad != null && ad.length > 0) {
      cipher.updateAAD(ad);
    }
  }

  private void checkNonce() {
    if (nonce == MAX_NONCE) {
      throw new NoiseException(
          NoiseException.Reason.NONCE_EXHAUSTED, "nonce 2^64-1 reached; the session must end");
    }
  }

  private void checkNotDestroyed() {
    if (destroyed) {
      throw new NoiseException(NoiseException.Reason.BAD_STATE, "cipher state was destroyed");
    }
  }

  private static void checkRange(byte[] a, int off, int len) {
    if (a == null || off < 0 || len < 0 || off > a.length - len) {
      throw new NoiseException(NoiseException.Reason.BAD_SIZE, "buffer range out of bounds");
    }
  }

  /**
   * A raw secret key we can zero: {@link javax.crypto.spec.SecretKeySpec} cannot be destroyed on
   * JDK 17. The JDK providers copy the encoded key during {@code init}; those copies are theirs.
   */
  private static final class RawKey implements SecretKey {
    private static final long serialVersionUID = 1L;
    private final byte[] bytes;
    private final String algorithm;
    private boolean destroyed;

    RawKey(byte[] bytes, String algorithm) {
      this.bytes = bytes;
      this.algorithm = algorithm;
    }

    @Override
    public String getAlgorithm() {
      return algorithm;
    }

    @Override
    public String getFormat() {
      return "RAW";
    }

    @Override
    public byte[] getEncoded() {
      return bytes.clone();
    }

    @Override
    public void destroy() {
      Arrays.fill(bytes, (byte) 0);
      destroyed = true;
    }

    @Override
    public boolean isDestroyed() {
      return destroyed;
    }
  }
}
