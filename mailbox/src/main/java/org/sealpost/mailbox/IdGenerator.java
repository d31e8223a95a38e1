package org.sealpost.mailbox;

import java.security.SecureRandom;

/**
 * Makes recipient and sender IDs ({@value QueueRecord#ID_LENGTH} bytes each, independent). The
 * relay may supply its own (e.g. one that embeds a shard tag); the default is all random.
 */
public interface IdGenerator {
  byte[] newRecipientId();

  byte[] newSenderId();

  /**
   * Marks a fresh internal queue handle ({@value QueueId#LENGTH} random bytes) in place before it
   * is stored, e.g. with the shard that holds the queue so a cluster can route by handle (issue
   * 14). The default leaves it all random.
   */
  default void tagQueueId(byte[] queueId) {}

  /** 32 independent random bytes per ID from {@code random}. */
  static IdGenerator random(SecureRandom random) {
    return new IdGenerator() {
      @Override
      public byte[] newRecipientId() {
        byte[] id = new byte[QueueRecord.ID_LENGTH];
        random.nextBytes(id);
        return id;
      }

      @Override
      public byte[] newSenderId() {
        byte[] id = new byte[QueueRecord.ID_LENGTH];
        random.nextBytes(id);
        return id;
      }
    };
  }
}
