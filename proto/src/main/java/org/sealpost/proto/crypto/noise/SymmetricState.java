package org.sealpost.proto.crypto.noise;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A Noise SymmetricState (spec rev 34, §5.2): chaining key {@code ck}, handshake hash {@code h} and
 * a {@link CipherState}. HKDF and HMAC are built from the protocol's hash as §4.3 defines.
 */
final class SymmetricState {
  private final NoiseProtocol protocol;
  private final NoiseHash.Engine engine;
  private final int hashLen;
  private final CipherState cipherState;
  private byte[] ck;
  private byte[] h;

  /** InitializeSymmetric(protocol_name). */
  SymmetricState(NoiseProtocol protocol) {
    this.protocol = protocol;
    this.engine = protocol.hash().newEngine();
    this.hashLen = protocol.hash().hashLen();
    this.cipherState = new CipherState(protocol.cipher());
    byte[] name = protocol.name().getBytes(StandardCharsets.US_ASCII);
    if (name.length <= hashLen) {
      h = Arrays.copyOf(name, hashLen);
    } else {
      h = hash(name);
    }
    ck = h.clone();
  }

  int hashLen() {
    return hashLen;
  }

  /** MixKey(input_key_material). */
  void mixKey(byte[] ikm) {
    byte[][] out = hkdf(ck, ikm, 2);
    Arrays.fill(ck, (byte) 0);
    ck = out[0];
    cipherState.initializeKey(truncateKey(out[1]));
    Arrays.fill(out[1], (byte) 0);
  }

  /** MixHash(data). */
  void mixHash(byte[] data, int off, int len) {
    engine.update(h, 0, hashLen);
    engine.update(data, off, len);
    engine.doFinal(h, 0);
  }

  /** MixKeyAndHash(input_key_material), used by PSK modifiers. */
  void mixKeyAndHash(byte[] ikm) {
    byte[][] out = hkdf(ck, ikm, 3);
    Arrays.fill(ck, (byte) 0);
    ck = out[0];
    mixHash(out[1], 0, hashLen);
    cipherState.initializeKey(truncateKey(out[2]));
    Arrays.fill(out[2], (byte) 0);
  }

  /** GetHandshakeHash(): a copy of h. */
  byte[] handshakeHash() {
    return h.clone();
  }

  boolean hasKey() {
    return cipherState.hasKey();
  }

  /** EncryptAndHash(plaintext) into {@code out}; returns the bytes written. */
  int encryptAndHash(byte[] in, int inOff, int len, byte[] out, int outOff) {
    int written = cipherState.encryptWithAd(h, in, inOff, len, out, outOff);
    mixHash(out, outOff, written);
    return written;
  }

  /** DecryptAndHash(ciphertext) into {@code out} (which must not overlap); returns the length. */
  int decryptAndHash(byte[] in, int inOff, int len, byte[] out, int outOff) {
    int written = cipherState.decryptWithAd(h, in, inOff, len, out, outOff);
    mixHash(in, inOff, len);
    return written;
  }

  /** Split(): the initiator-to-responder and responder-to-initiator cipher states. */
  CipherState[] split() {
    byte[][] out = hkdf(ck, new byte[0], 2);
    CipherState c1 = new CipherState(protocol.cipher());
    CipherState c2 = new CipherState(protocol.cipher());
    c1.initializeKey(truncateKey(out[0]));
    c2.initializeKey(truncateKey(out[1]));
    Arrays.fill(out[0], (byte) 0);
    Arrays.fill(out[1], (byte) 0);
    return new CipherState[] {c1, c2};
  }

  /** Zeroes ck, h and the handshake cipher key. */
  void destroy() {
    Arrays.fill(ck, (byte) 0);
    Arrays.fill(h, (byte) 0);
    cipherState.destroy();
  }

  private byte[] truncateKey(byte[] k) {
    return k.length == CipherState.KEY_LENGTH ? k : Arrays.copyOf(k, CipherState.KEY_LENGTH);
  }

  private byte[] hash(byte[] data) {
    byte[] out = new byte[hashLen];
    engine.update(data, 0, data.length);
    engine.doFinal(out, 0);
    return out;
  }

  /** HMAC-HASH(key, data) per RFC 2104 with the hash's BLOCKLEN. */
  byte[] hmac(byte[] key, byte[] data1, byte[] data2) {
    int blockLen = protocol.hash().blockLen();
    byte[] k = key.length > blockLen ? hash(key) : key;
    byte[] pad = new byte[blockLen];
    for (int i = 0; i < blockLen; i++) {
      pad[i] = (byte) ((i < k.length ? k[i] : 0) ^ 0x36);
    }
    byte[] inner = new byte[hashLen];
    engine.update(pad, 0, blockLen);
    engine.update(data1, 0, data1.length);
    if (data2 != null) {
      engine.update(data2, 0, data2.length);
    }
    engine.doFinal(inner, 0);
    for (int i = 0; i < blockLen; i++) {
      pad[i] = (byte) ((i < k.length ? k[i] : 0) ^ 0x5c);
    }
    byte[] out = new byte[hashLen];
    engine.update(pad, 0, blockLen);
    engine.update(inner, 0, hashLen);
    engine.doFinal(out, 0);
    Arrays.fill(pad, (byte) 0);
    Arrays.fill(inner, (byte) 0);
    return out;
  }

  /** HKDF(chaining_key, input_key_material, num_outputs) per Noise spec §4.3. */
  byte[][] hkdf(byte[] chainingKey, byte[] ikm, int numOutputs) {
    byte[] tempKey = hmac(chainingKey, ikm, null);
    byte[][] out = new byte[numOutputs][];
    out[0] = hmac(tempKey, new byte[] {1}, null);
    for (int i = 1; i < numOutputs; i++) {
      out[i] = hmac(tempKey, out[i - 1], new byte[] {(byte) (i + 1)});
    }
    Arrays.fill(tempKey, (byte) 0);
    return out;
  }
}
