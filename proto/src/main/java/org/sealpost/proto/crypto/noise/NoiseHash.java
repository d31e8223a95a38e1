package org.sealpost.proto.crypto.noise;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.Blake2bDigest;
import org.bouncycastle.crypto.digests.Blake2sDigest;

/** The Noise hash functions supported here (Noise spec rev 34, §12.5 to §12.8). */
public enum NoiseHash {
  SHA256("SHA256", 32, 64),
  SHA512("SHA512", 64, 128),
  BLAKE2S("BLAKE2s", 32, 64),
  BLAKE2B("BLAKE2b", 64, 128);

  private final String noiseName;
  private final int hashLen;
  private final int blockLen;

  NoiseHash(String noiseName, int hashLen, int blockLen) {
    this.noiseName = noiseName;
    this.hashLen = hashLen;
    this.blockLen = blockLen;
  }

  /** The name used in Noise protocol names, e.g. {@code SHA256}. */
  public String noiseName() {
    return noiseName;
  }

  /** HASHLEN: the digest length in bytes (also the length of the handshake hash). */
  public int hashLen() {
    return hashLen;
  }

  /** BLOCKLEN: the internal block length, used by HMAC. */
  public int blockLen() {
    return blockLen;
  }

  /** A fresh, single-threaded digest engine for this hash. */
  Engine newEngine() {
    switch (this) {
      case SHA256:
        return new JdkEngine("SHA-256");
      case SHA512:
        return new JdkEngine("SHA-512");
      case BLAKE2S:
        return new BcEngine(new Blake2sDigest(256));
      case BLAKE2B:
        return new BcEngine(new Blake2bDigest(512));
      default:
        throw new AssertionError(this);
    }
  }

  static NoiseHash fromNoiseName(String name) {
    for (NoiseHash h : values()) {
      if (h.noiseName.equals(name)) {
        return h;
      }
    }
    throw new NoiseException(NoiseException.Reason.UNSUPPORTED_PROTOCOL, "unknown hash " + name);
  }

  /** Minimal streaming digest interface over the JDK and Bouncy Castle implementations. */
  interface Engine {
    void update(byte[] in, int off, int len);

    /** Writes the digest to {@code out} at {@code off} and resets the engine. */
    void doFinal(byte[] out, int off);
  }

  private static final class JdkEngine implements Engine {
    private final MessageDigest digest;

    JdkEngine(String algorithm) {
      try {
        digest = MessageDigest.getInstance(algorithm);
      } catch (NoSuchAlgorithmException e) {
        throw new NoiseException(
            NoiseException.Reason.PROVIDER_FAILURE, algorithm + " is not available", e);
      }
    }

    @Override
    public void update(byte[] in, int off, int len) {
      digest.update(in, off, len);
    }

    @Override
    public void doFinal(byte[] out, int off) {
      byte[] d = digest.digest();
      System.arraycopy(d, 0, out, off, d.length);
    }
  }

  private static final class BcEngine implements Engine {
    private final Digest digest;

    BcEngine(Digest digest) {
      this.digest = digest;
    }

    @Override
    public void update(byte[] in, int off, int len) {
      digest.update(in, off, len);
    }

    @Override
    public void doFinal(byte[] out, int off) {
      digest.doFinal(out, off);
    }
  }
}
