package org.sealpost.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ShardMapTest {
  @Test
  void parsesRangesAndLists() {
    ShardMap map = ShardMap.parse("n1:0-2; n2:3,5 ;n3:4,6-7", 8);
    assertThat(map.nodes()).containsExactly("n1", "n2", "n3");
    assertThat(map.shardsOf("n1")).containsExactly(0, 1, 2);
    assertThat(map.shardsOf("n2")).containsExactly(3, 5);
    assertThat(map.shardsOf("n3")).containsExactly(4, 6, 7);
    assertThat(map.shardsOf("n4")).isEmpty();
    assertThat(map.ownerOf(5)).isEqualTo("n2");
    assertThat(map.shardCount()).isEqualTo(8);
  }

  @Test
  void refusesMapsThatDoNotCoverEveryShardOnce() {
    assertThatThrownBy(() -> ShardMap.parse("n1:0-2;n2:2-3", 4))
        .hasMessage("shard 2 is owned by both n1 and n2");
    assertThatThrownBy(() -> ShardMap.parse("n1:0-1;n2:3", 4)).hasMessage("shard 2 has no owner");
    assertThatThrownBy(() -> ShardMap.parse("n1:0-4", 4)).hasMessage("shard 4 is outside 0..3");
    assertThatThrownBy(() -> ShardMap.parse("N1:0-3", 4)).hasMessageContaining("node name 'N1'");
    assertThatThrownBy(() -> ShardMap.parse("n1:0-1;n1:2-3", 4))
        .hasMessage("node n1 is named twice");
    assertThatThrownBy(() -> ShardMap.parse("n1 0-3", 4)).hasMessageContaining("node:shards");
    assertThatThrownBy(() -> ShardMap.parse("n1:3-0", 4)).hasMessageContaining("backwards");
    assertThatThrownBy(() -> ShardMap.parse("n1:x", 4)).hasMessageContaining("not a shard number");
    assertThatThrownBy(() -> ShardMap.parse("n1:0", 0)).hasMessageContaining("shard count");
  }

  @Test
  void checksMembershipAtStart() {
    ShardMap map = ShardMap.parse("n1:0;n2:1;n3:2", 3);
    assertThat(map.checkMembership("n1", List.of("n1", "n2"))).isEmpty(); // n3 down: allowed
    assertThat(map.checkMembership("n4", List.of("n4")))
        .containsExactly(
            "this node (n4) owns no entry in the shard map", "member n4 is not in the shard map");
    assertThat(map.checkMembership("n1", List.of("n1", "n2", "n2")))
        .containsExactly("two members are named n2");
  }
}
