package org.sealpost.mailbox.rocksdb;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.sealpost.mailbox.MailboxException;

/**
 * Encryption at rest. Every stored envelope has its own random 32-byte storage key S (kept in the
 * {@code keys} family); the AES-256-GCM key is HMAC-SHA256(envelopeKey, S), so S alone (the RocksDB
 * directory) or the master key alone decrypts nothing, and deleting S shreds the envelope. Queue
 * records work the same way with a per-queue storage key. IDs are stored only as HMACs.
 *
 * <p>JCA only (no Bouncy Castle): the JDK's AES-GCM uses AES-NI/CLMUL intrinsics.
 */
final class AtRestCrypto implements AutoCloseable {
  static final int TAG_BYTES = 16;
  static final int NONCE_BYTES = 12;
  private static final byte[] ZERO_NONCE = new byte[NONCE_BYTES];

  private final byte[] idKey;
  private final byte[] envelopeKey;
  private final byte[] recordKey;
  private final byte[] checkValue;
  private final SecureRandom random;
  private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(AtRestCrypto::newMac);
  private final ThreadLocal<Cipher> ciphers = ThreadLocal.withInitial(AtRestCrypto::newCipher);

  AtRestCrypto(byte[] masterKey, SecureRandom random) {
    this.random = random;
    this.idKey = hmac(masterKey, label("ids"));
    this.envelopeKey = hmac(masterKey, label("envelopes"));
    this.recordKey = hmac(masterKey, label("records"));
    this.checkValue = hmac(masterKey, label("check"));
  }

  private static byte[] label(String name) {
    return ("sealpost/1 mailbox " + name).getBytes(StandardCharsets.US_ASCII);
  }

  private static Mac newMac() {
    try {
      return Mac.getInstance("HmacSHA256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 missing from the JDK", e);
    }
  }

  private static Cipher newCipher() {
    try {
      return Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES/GCM missing from the JDK", e);
    }
  }

  private byte[] hmac(byte[] key, byte[] data) {
    Mac mac = macs.get();
    try {
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC init", e);
    }
    return mac.doFinal(data);
  }

  /** A value derived from the master key, stored in the database to detect a wrong key file. */
  byte[] checkValue() {
    return checkValue.clone();
  }

  byte[] randomStorageKey() {
    byte[] k = new byte[KeyCodec.STORAGE_KEY_LENGTH];
    random.nextBytes(k);
    return k;
  }

  void randomBytes(byte[] dst) {
    random.nextBytes(dst);
  }

  /** The {@code ids} family key of an ID: its HMAC, so the directory never holds the ID itself. */
  byte[] idIndexKey(byte kind, byte[] id) {
    byte[] data = new byte[1 + id.length];
    data[0] = kind;
    System.arraycopy(id, 0, data, 1, id.length);
    return hmac(idKey, data);
  }

  /** Envelope: a fresh key per envelope, so a fixed nonce is safe. */
  byte[] sealEnvelope(byte[] storageKey, byte[] aad, byte[] plaintext) {
    return gcm(Cipher.ENCRYPT_MODE, hmac(envelopeKey, storageKey), ZERO_NONCE, aad, plaintext, 0);
  }

  byte[] openEnvelope(byte[] storageKey, byte[] aad, byte[] ciphertext) {
    return gcm(Cipher.DECRYPT_MODE, hmac(envelopeKey, storageKey), ZERO_NONCE, aad, ciphertext, 0);
  }

  /** Record: its key is reused when the record is rewritten, so each write has a random nonce. */
  byte[] sealRecord(byte[] storageKey, byte[] aad, byte[] plaintext) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    byte[] ct = gcm(Cipher.ENCRYPT_MODE, hmac(recordKey, storageKey), nonce, aad, plaintext, 0);
    byte[] out = new byte[NONCE_BYTES + ct.length];
    System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
    System.arraycopy(ct, 0, out, NONCE_BYTES, ct.length);
    return out;
  }

  byte[] openRecord(byte[] storageKey, byte[] aad, byte[] sealed) {
    if (sealed.length < NONCE_BYTES + TAG_BYTES) {
      throw new MailboxException(MailboxException.Code.CORRUPT, "read queue record: truncated");
    }
    byte[] nonce = Arrays.copyOf(sealed, NONCE_BYTES);
    return gcm(Cipher.DECRYPT_MODE, hmac(recordKey, storageKey), nonce, aad, sealed, NONCE_BYTES);
  }

  private byte[] gcm(int mode, byte[] key, byte[] nonce, byte[] aad, byte[] in, int offset) {
    Cipher c = ciphers.get();
    try {
      c.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BYTES * 8, nonce));
      c.updateAAD(aad);
      return c.doFinal(in, offset, in.length - offset);
    } catch (GeneralSecurityException e) {
      // a failed tag check means the bytes on disk are not what we wrote
      throw new MailboxException(MailboxException.Code.CORRUPT, "decrypt at-rest data: bad tag");
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  @Override
  public void close() {
    Arrays.fill(idKey, (byte) 0);
    Arrays.fill(envelopeKey, (byte) 0);
    Arrays.fill(recordKey, (byte) 0);
  }
}
