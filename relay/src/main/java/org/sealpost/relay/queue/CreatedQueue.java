package org.sealpost.relay.queue;

/**
 * The reply to CreateQueue. Accessors return the arrays as held (the caller owns this value).
 *
 * @param recipientId 32 bytes, for recipient commands
 * @param senderId 32 bytes, for Send; unrelated to the recipient ID
 * @param relayDhPublic the relay's 32-byte per-queue X25519 public key
 */
public record CreatedQueue(byte[] recipientId, byte[] senderId, byte[] relayDhPublic) {
  @Override
  public String toString() {
    return "CreatedQueue[redacted]";
  }
}
