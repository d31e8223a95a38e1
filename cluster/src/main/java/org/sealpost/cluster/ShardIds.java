package org.sealpost.cluster;

import java.security.SecureRandom;
import java.util.Objects;
import org.sealpost.mailbox.IdGenerator;

/** The IDs of one shard's store: recipient and sender IDs and queue handles tagged with it. */
public final class ShardIds implements IdGenerator {
  private final ShardTag tag;
  private final int shard;
  private final SecureRandom random;

  public ShardIds(ShardTag tag, int shard, SecureRandom random) {
    this.tag = Objects.requireNonNull(tag, "tag");
    this.random = Objects.requireNonNull(random, "random");
    if (shard < 0 || shard >= tag.shardCount()) {
      throw new IllegalArgumentException("no such shard");
    }
    this.shard = shard;
  }

  @Override
  public byte[] newRecipientId() {
    return tag.newId(shard, random);
  }

  @Override
  public byte[] newSenderId() {
    return tag.newId(shard, random);
  }

  @Override
  public void tagQueueId(byte[] queueId) {
    tag.tagQueueId(queueId, shard);
  }
}
