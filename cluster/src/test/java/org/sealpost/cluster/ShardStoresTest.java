package org.sealpost.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.mailbox.MailboxConfig;
import org.sealpost.mailbox.QueueSecrets;

class ShardStoresTest {
  private final SecureRandom random = new SecureRandom();
  @TempDir Path data;

  private ShardStores open(List<Integer> shards, int count, boolean create) {
    return ShardStores.open(
        data,
        shards,
        new ShardTag(new byte[32], count),
        (s, k) ->
            MailboxConfig.builder(s, k).diskBudgetBytes(64L << 20).createIfMissing(create).build(),
        random);
  }

  @Test
  void eachShardIsItsOwnStoreAndKeepsItsQueues() throws Exception {
    byte[] rid;
    try (ShardStores s = open(List.of(1, 3), 4, true)) {
      assertThat(s.stores()).containsOnlyKeys(1, 3);
      rid =
          s.stores()
              .get(3)
              .createQueue(new QueueSecrets(new byte[32], new byte[32]))
              .toCompletableFuture()
              .join()
              .recipientId();
    }
    assertThat(Files.readString(ShardStores.shardDir(data, 3).resolve("shard")))
        .isEqualTo("sealpost shard 3 of 4\n");
    try (ShardStores s = open(List.of(1, 3), 4, false)) {
      assertThat(s.stores().get(3).findByRecipientId(rid).toCompletableFuture().join()).isPresent();
    }
  }

  @Test
  void aShardDirectoryUnderTheWrongNumberOrCountFailsAtOpen() throws Exception {
    open(List.of(0), 4, true).close();
    Files.move(ShardStores.shardDir(data, 0), ShardStores.shardDir(data, 2));
    assertThatThrownBy(() -> open(List.of(2), 4, false))
        .hasMessageContaining("holds 'sealpost shard 0 of 4', not 'sealpost shard 2 of 4'");
    Files.move(ShardStores.shardDir(data, 2), ShardStores.shardDir(data, 0));
    assertThatThrownBy(() -> open(List.of(0), 8, false))
        .hasMessageContaining("shard count changed");
    assertThatThrownBy(() -> open(List.of(1), 4, false)).hasMessageContaining("is missing");
  }
}
