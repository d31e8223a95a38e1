package org.sealpost.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import org.sealpost.mailbox.MailboxConfig;
import org.sealpost.mailbox.rocksdb.RocksMailboxStore;
import org.sealpost.relay.queue.ClusterBackend;

/**
 * The RocksDB stores of this node's shards, one each, under {@code <data-dir>/shards/<n>/}: {@code
 * store/} and {@code store.key}, plus a {@code shard} file naming the shard and the cluster's shard
 * count. Moving a shard is moving that directory; the {@code shard} file makes a directory put
 * under the wrong number, or a changed shard count, fail at open instead of serving wrong data.
 * Opening blocks: run it off the event loop.
 */
public final class ShardStores implements AutoCloseable {
  private final Map<Integer, RocksMailboxStore> stores;

  private ShardStores(Map<Integer, RocksMailboxStore> stores) {
    this.stores = stores;
  }

  /** The directory of {@code shard} under the data directory. */
  public static Path shardDir(Path dataDir, int shard) {
    return ClusterBackend.shardDir(dataDir, shard);
  }

  /**
   * Opens (creating when allowed by the config) the stores of {@code shards}; on any failure closes
   * what it opened and rethrows.
   *
   * @param configFor the store settings for a store directory and its key file
   */
  public static ShardStores open(
      Path dataDir,
      Collection<Integer> shards,
      ShardTag tag,
      BiFunction<Path, Path, MailboxConfig> configFor,
      SecureRandom random) {
    Map<Integer, RocksMailboxStore> opened = new TreeMap<>();
    try {
      for (int shard : shards) {
        Path dir = shardDir(dataDir, shard);
        MailboxConfig config = configFor.apply(dir.resolve("store"), dir.resolve("store.key"));
        checkMarker(dir, shard, tag.shardCount(), config.createIfMissing());
        opened.put(
            shard,
            RocksMailboxStore.opener(config)
                .random(random)
                .idGenerator(new ShardIds(tag, shard, random))
                .open());
      }
    } catch (RuntimeException e) {
      opened.values().forEach(RocksMailboxStore::close);
      throw e;
    }
    return new ShardStores(Map.copyOf(opened));
  }

  private static void checkMarker(Path dir, int shard, int shardCount, boolean create) {
    String expected = "sealpost shard " + shard + " of " + shardCount + "\n";
    Path marker = dir.resolve(ClusterBackend.SHARD_MARKER);
    try {
      if (Files.exists(marker)) {
        String found = Files.readString(marker, StandardCharsets.US_ASCII);
        if (!found.equals(expected)) {
          throw new IllegalStateException(
              "shard directory "
                  + dir
                  + " holds '"
                  + found.strip()
                  + "', not '"
                  + expected.strip()
                  + "': moved under the wrong number, or the shard count changed");
        }
      } else if (create) {
        Files.createDirectories(dir);
        Files.writeString(marker, expected, StandardCharsets.US_ASCII);
      } else {
        throw new IllegalStateException("shard directory " + dir + " is missing");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("shard directory " + dir, e);
    }
  }

  /** The open stores by shard. */
  public Map<Integer, RocksMailboxStore> stores() {
    return stores;
  }

  @Override
  public void close() {
    stores.values().forEach(RocksMailboxStore::close);
  }
}
