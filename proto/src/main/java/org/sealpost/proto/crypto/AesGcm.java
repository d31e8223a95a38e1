package org.sealpost.proto.crypto;

import java.security.GeneralSecurityException;
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

  private static Cipher init(int mode, byte[] key, byte[] nonce, byte[] aad)
      throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_LENGTH * 8, nonce));
    cipher.updateAAD(aad);
    return cipher;
  }
}
