package org.sealpost.proto.crypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** AES-256-GCM with a 12-byte nonce and a 16-byte tag, over the JDK provider. */
final class AesGcm {
  static final int KEY_LENGTH = 32;
  static final int NONCE_LENGTH = 12;
  static final int TAG_LENGTH = 16;
  static final byte[] ZERO_NONCE = new byte[NONCE_LENGTH];

  private AesGcm() {}

  static byte[] encrypt(byte[] key, byte[] nonce, byte[] aad, byte[] plaintext) {
    try {
      Cipher cipher = init(Cipher.ENCRYPT_MODE, key, nonce, aad);
      return cipher.doFinal(plaintext);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
  }

  /** Decrypts {@code in[off..off+len)}; the caller has checked that {@code len >= 16}. */
  static byte[] decrypt(byte[] key, byte[] nonce, byte[] aad, byte[] in, int off, int len)
      throws CryptoException {
    Cipher cipher;
    try {
      cipher = init(Cipher.DECRYPT_MODE, key, nonce, aad);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable", e);
    }
    try {
      return cipher.doFinal(in, off, len);
    } catch (AEADBadTagException e) {
      throw new CryptoException(
          CryptoException.Reason.AUTHENTICATION_FAILED, "AES-GCM tag mismatch");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM decryption failed", e);
    }
  }

  // one cipher per thread, re-initialised per operation: Cipher.getInstance looks the provider up
  // on every call, and a cipher given the key of its previous operation again skips the key
  // schedule (a relay pushing a run of envelopes of one queue) — issue 13
  private static final ThreadLocal<PerThread> CIPHERS = ThreadLocal.withInitial(PerThread::new);

  /** A thread's cipher, and the key and nonce of its last encryption. */
  private static final class PerThread {
    Cipher cipher;
    byte[] lastKey;
    byte[] lastNonce;
  }

  private static Cipher init(int mode, byte[] key, byte[] nonce, byte[] aad)
      throws GeneralSecurityException {
    PerThread t = CIPHERS.get();
    // the JDK refuses to encrypt again under the key and nonce of a cipher's last encryption (the
    // same envelope pushed twice in a row): that case takes a fresh cipher, as every call once did
    boolean repeat =
        mode == Cipher.ENCRYPT_MODE
            && Arrays.equals(key, t.lastKey)
            && Arrays.equals(nonce, t.lastNonce);
    if (t.cipher == null || repeat) {
      t.cipher = Cipher.getInstance("AES/GCM/NoPadding");
    }
    Cipher cipher = t.cipher;
    cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_LENGTH * 8, nonce));
    if (mode == Cipher.ENCRYPT_MODE) {
      t.lastKey = key.clone();
      t.lastNonce = nonce.clone();
    }
    cipher.updateAAD(aad);
    return cipher;
  }
}
