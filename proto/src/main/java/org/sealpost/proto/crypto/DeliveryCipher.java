package org.sealpost.proto.crypto;

import org.sealpost.proto.crypto.CryptoException.Reason;

/**
 * Delivery encryption (protocol.md §6): the relay encrypts each pushed envelope for the recipient:
 *
 * <pre>
 * ciphertext = AES-256-GCM(key = delivery_key, nonce = message_id (12 bytes),
 *                          aad = "sealpost/1 deliver" ‖ recipient_id, plaintext = envelope)
 * </pre>
 *
 * giving exactly E + 16 bytes.
 *
 * <p><b>Redelivery.</b> Delivery is at least once: after a crash, an envelope whose ack was not yet
 * durable is pushed again with the same message ID. That encrypts the same plaintext under the same
 * (key, nonce) again and yields the identical ciphertext, which reveals nothing new; GCM is only
 * broken when one (key, nonce) protects two <em>different</em> plaintexts. The relay must therefore
 * never reuse a message ID for another envelope, which random 96-bit IDs ensure.
 */
public final class DeliveryCipher {
  /** Length of the GCM tag appended to the envelope. */
  public static final int TAG_LENGTH = AesGcm.TAG_LENGTH;

  private static final byte[] AAD_LABEL = Bytes.ascii("sealpost/1 deliver");

  private final int envelopeSize;

  /**
   * @param envelopeSize E, the size of every sealed envelope
   */
  public DeliveryCipher(int envelopeSize) {
    SealedEnvelope.checkEnvelopeSize(envelopeSize);
    this.envelopeSize = envelopeSize;
  }

  /** E + 16: the size of every delivery ciphertext. */
  public int ciphertextSize() {
    return envelopeSize + TAG_LENGTH;
  }

  /**
   * Relay side: encrypts one envelope for its recipient.
   *
   * @throws IllegalArgumentException if a key, ID or the envelope has the wrong length
   */
  public byte[] encrypt(byte[] deliveryKey, byte[] messageId, byte[] recipientId, byte[] envelope) {
    Bytes.requireLength(deliveryKey, AesGcm.KEY_LENGTH, "delivery key");
    Bytes.requireLength(messageId, MessageIds.LENGTH, "message ID");
    Bytes.requireLength(recipientId, CommandMac.RECIPIENT_ID_LENGTH, "recipient ID");
    Bytes.requireLength(envelope, envelopeSize, "envelope");
    return AesGcm.encrypt(deliveryKey, messageId, aad(recipientId), envelope);
  }

  /**
   * Recipient side: decrypts a pushed envelope.
   *
   * @return the E-byte sealed envelope
   * @throws CryptoException {@code WRONG_SIZE} if the message ID or ciphertext has the wrong
   *     length, {@code AUTHENTICATION_FAILED} if the tag does not verify
   * @throws IllegalArgumentException if the caller's own key or recipient ID has the wrong length
   */
  public byte[] decrypt(byte[] deliveryKey, byte[] messageId, byte[] recipientId, byte[] ciphertext)
      throws CryptoException {
    Bytes.requireLength(deliveryKey, AesGcm.KEY_LENGTH, "delivery key");
    Bytes.requireLength(recipientId, CommandMac.RECIPIENT_ID_LENGTH, "recipient ID");
    if (messageId == null || messageId.length != MessageIds.LENGTH) {
      throw new CryptoException(Reason.WRONG_SIZE, "a message ID must be 12 bytes");
    }
    if (ciphertext == null || ciphertext.length != ciphertextSize()) {
      throw new CryptoException(
          Reason.WRONG_SIZE, "a delivery ciphertext must be " + ciphertextSize() + " bytes");
    }
    return AesGcm.decrypt(
        deliveryKey, messageId, aad(recipientId), ciphertext, 0, ciphertext.length);
  }

  private static byte[] aad(byte[] recipientId) {
    return Bytes.concat(AAD_LABEL, recipientId);
  }
}
