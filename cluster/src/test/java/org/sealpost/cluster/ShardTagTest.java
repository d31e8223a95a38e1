package org.sealpost.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.sealpost.mailbox.QueueId;

class ShardTagTest {
  private final SecureRandom random = new SecureRandom();

  private static byte[] key(int b) {
    byte[] k = new byte[32];
    java.util.Arrays.fill(k, (byte) b);
    return k;
  }

  @Test
  void everyShardReadsBackFromItsIds() {
    ShardTag tag = new ShardTag(key(1), 7);
    for (int shard = 0; shard < 7; shard++) {
      for (int i = 0; i < 50; i++) {
        byte[] id = tag.newId(shard, random);
        assertThat(id).hasSize(32);
        assertThat(tag.shardOf(id)).isEqualTo(shard);
      }
    }
  }

  @Test
  void withoutTheKeyTheTagLooksRandom() {
    // IDs all of shard 0; someone with another key sees the tag bytes spread over all values
    ShardTag tag = new ShardTag(key(1), 4);
    ShardTag other = new ShardTag(key(2), 4);
    int[] seen = new int[4];
    int[] lastByte = new int[256];
    int n = 8000;
    for (int i = 0; i < n; i++) {
      byte[] id = tag.newId(0, random);
      seen[other.shardOf(id)]++;
      lastByte[id[31] & 0xff]++;
    }
    for (int count : seen) {
      assertThat(count).isBetween(n / 4 - 300, n / 4 + 300);
    }
    // the raw tag byte is spread too: no value holds more than 3x its share
    for (int count : lastByte) {
      assertThat(count).isLessThan(3 * n / 256);
    }
  }

  @Test
  void madeUpIdsLandOnSomeShard() {
    ShardTag tag = new ShardTag(key(3), 3);
    int[] seen = new int[3];
    for (int i = 0; i < 3000; i++) {
      byte[] id = new byte[32];
      random.nextBytes(id);
      seen[tag.shardOf(id)]++;
    }
    for (int c : seen) {
      assertThat(c).isGreaterThan(800);
    }
    assertThat(tag.shardOf(new byte[5])).isZero();
  }

  @Test
  void queueHandlesCarryTheShard() {
    ShardTag tag = new ShardTag(key(4), 300);
    byte[] q = new byte[QueueId.LENGTH];
    random.nextBytes(q);
    tag.tagQueueId(q, 259);
    assertThat(tag.shardOf(QueueId.of(q))).isEqualTo(259);
    q[0] = (byte) 0xff; // out of range: shard 0, never an exception
    assertThat(tag.shardOf(QueueId.of(q))).isZero();
  }

  @Test
  void refusesBadParameters() {
    assertThatThrownBy(() -> new ShardTag(new byte[16], 4))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ShardTag(key(1), 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ShardTag(key(1), ShardTag.MAX_SHARDS + 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ShardTag(key(1), 4).newId(4, random))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
