package org.sealpost.proto.crypto;

/**
 * Message IDs (protocol.md §5, §6): 12 random bytes chosen by the relay when it stores an envelope.
 * A message ID is the nonce of the delivery encryption, so it is never a storage sequence number (a
 * sequence restarting after a queue is re-created, or shared across shards, would repeat nonces).
 * With 96 random bits, the chance that two of the n messages of one queue share an ID is about
 * n²/2^97: negligible for any queue that stays within its quota.
 */
public final class MessageIds {
  /** Length of a message ID: the AES-GCM nonce length. */
  public static final int LENGTH = AesGcm.NONCE_LENGTH;

  private MessageIds() {}

  /** A fresh random message ID. */
  public static byte[] random(RandomSource random) {
    return random.bytes(LENGTH);
  }
}
