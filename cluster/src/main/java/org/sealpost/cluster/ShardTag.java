package org.sealpost.cluster;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.sealpost.mailbox.QueueId;
import org.sealpost.mailbox.QueueRecord;

/**
 * The shard tag inside recipient and sender IDs, readable only with the cluster's tag key.
 *
 * <p>An ID is 30 random bytes {@code r} followed by two bytes {@code shard XOR HMAC-SHA256(tag_key,
 * "sealpost shard" ‖ r)[0..2]} (big-endian). Without the tag key the 32 bytes are indistinguishable
 * from random (the two masked bytes are a PRF output XOR a constant), so an ID tells a client or an
 * observer nothing; a node of the cluster reads the shard with one HMAC. Any 32 bytes decode to
 * some shard (IDs the cluster never made land on a pseudo-random shard and miss there), so a lookup
 * of a made-up ID costs what a real one does.
 *
 * <p>The internal queue handle ({@link QueueId}, never on the wire) carries the shard in its first
 * two bytes in the clear: it only travels between nodes of the cluster.
 */
public final class ShardTag {
  /** Most shards a cluster may have: the tag has 16 bits. */
  public static final int MAX_SHARDS = 4096;

  private static final byte[] LABEL =
      "sealpost shard".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final int RANDOM_LENGTH = QueueRecord.ID_LENGTH - 2;

  private final SecretKeySpec key;
  private final int shardCount;
  private final ThreadLocal<Mac> macs;

  /**
   * @param tagKey 32 bytes derived from the cluster key (copied)
   * @param shardCount the cluster's number of shards, 1 to {@value #MAX_SHARDS}
   */
  public ShardTag(byte[] tagKey, int shardCount) {
    if (Objects.requireNonNull(tagKey, "tagKey").length != 32) {
      throw new IllegalArgumentException("the tag key has 32 bytes");
    }
    if (shardCount < 1 || shardCount > MAX_SHARDS) {
      throw new IllegalArgumentException("shard count must be 1 to " + MAX_SHARDS);
    }
    this.key = new SecretKeySpec(tagKey.clone(), "HmacSHA256");
    this.shardCount = shardCount;
    this.macs = ThreadLocal.withInitial(this::newMac);
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  /** The number of shards. */
  public int shardCount() {
    return shardCount;
  }

  /** A fresh 32-byte ID tagged with {@code shard}. */
  public byte[] newId(int shard, SecureRandom random) {
    checkShard(shard);
    byte[] id = new byte[QueueRecord.ID_LENGTH];
    random.nextBytes(id);
    int mask = mask(id);
    id[RANDOM_LENGTH] = (byte) ((shard >>> 8) ^ (mask >>> 8));
    id[RANDOM_LENGTH + 1] = (byte) (shard ^ mask);
    return id;
  }

  /**
   * The shard of a recipient or sender ID: the same work for every ID of the right length. An ID of
   * another length (refused earlier as SIZE) maps to shard 0.
   */
  public int shardOf(byte[] id) {
    if (id.length != QueueRecord.ID_LENGTH) {
      return 0;
    }
    int tag = ((id[RANDOM_LENGTH] & 0xff) << 8) | (id[RANDOM_LENGTH + 1] & 0xff);
    return (tag ^ mask(id)) % shardCount;
  }

  private int mask(byte[] id) {
    Mac mac = macs.get();
    mac.update(LABEL);
    mac.update(id, 0, RANDOM_LENGTH);
    byte[] out = mac.doFinal();
    return ((out[0] & 0xff) << 8) | (out[1] & 0xff);
  }

  /** Writes {@code shard} into the first two bytes of a fresh queue handle. */
  public void tagQueueId(byte[] queueId, int shard) {
    checkShard(shard);
    queueId[0] = (byte) (shard >>> 8);
    queueId[1] = (byte) shard;
  }

  /** The shard of a queue handle made by {@link #tagQueueId} (out-of-range handles: shard 0). */
  public int shardOf(QueueId queue) {
    byte[] b = queue.bytes();
    int shard = ((b[0] & 0xff) << 8) | (b[1] & 0xff);
    return shard < shardCount ? shard : 0;
  }

  private void checkShard(int shard) {
    if (shard < 0 || shard >= shardCount) {
      throw new IllegalArgumentException("no such shard");
    }
  }
}
