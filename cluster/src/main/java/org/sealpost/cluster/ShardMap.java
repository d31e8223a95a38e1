package org.sealpost.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Which node owns which shard: explicit operator configuration, never computed. Every shard has
 * exactly one owner; a shard moves only by the documented procedure (stop both nodes, move the
 * shard's directory, change this map on every node, start them).
 *
 * <p>Written as {@code node:shards;node:shards}, shards as comma-separated numbers and ranges, e.g.
 * {@code n1:0-2;n2:3-5;n3:6,7}.
 */
public final class ShardMap {
  private static final Pattern NODE = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

  private final int shardCount;
  private final String[] owners;
  private final Map<String, List<Integer>> byNode;

  private ShardMap(int shardCount, String[] owners, Map<String, List<Integer>> byNode) {
    this.shardCount = shardCount;
    this.owners = owners;
    this.byNode = byNode;
  }

  /**
   * Parses and checks a map: node names {@code [a-z0-9][a-z0-9-]{0,31}}, every shard from 0 to
   * {@code shardCount - 1} owned by exactly one node.
   *
   * @throws IllegalArgumentException naming the first problem
   */
  public static ShardMap parse(String text, int shardCount) {
    if (shardCount < 1 || shardCount > ShardTag.MAX_SHARDS) {
      throw new IllegalArgumentException("shard count must be 1 to " + ShardTag.MAX_SHARDS);
    }
    String[] owners = new String[shardCount];
    Map<String, List<Integer>> byNode = new LinkedHashMap<>();
    for (String entry : text.split(";")) {
      String e = entry.strip();
      if (e.isEmpty()) {
        continue;
      }
      int colon = e.indexOf(':');
      if (colon < 0) {
        throw new IllegalArgumentException("'" + e + "' is not node:shards");
      }
      String node = e.substring(0, colon).strip();
      if (!NODE.matcher(node).matches()) {
        throw new IllegalArgumentException(
            "node name '" + node + "' must match [a-z0-9][a-z0-9-]{0,31}");
      }
      if (byNode.containsKey(node)) {
        throw new IllegalArgumentException("node " + node + " is named twice");
      }
      List<Integer> shards = new ArrayList<>();
      for (int shard : parseShards(e.substring(colon + 1), shardCount)) {
        if (owners[shard] != null) {
          throw new IllegalArgumentException(
              "shard " + shard + " is owned by both " + owners[shard] + " and " + node);
        }
        owners[shard] = node;
        shards.add(shard);
      }
      byNode.put(node, Collections.unmodifiableList(shards));
    }
    for (int s = 0; s < shardCount; s++) {
      if (owners[s] == null) {
        throw new IllegalArgumentException("shard " + s + " has no owner");
      }
    }
    return new ShardMap(shardCount, owners, Collections.unmodifiableMap(byNode));
  }

  private static Set<Integer> parseShards(String list, int shardCount) {
    Set<Integer> out = new TreeSet<>();
    for (String part : list.split(",")) {
      String p = part.strip();
      if (p.isEmpty()) {
        throw new IllegalArgumentException("empty shard list entry");
      }
      int dash = p.indexOf('-');
      int from = number(dash < 0 ? p : p.substring(0, dash), shardCount);
      int to = dash < 0 ? from : number(p.substring(dash + 1), shardCount);
      if (to < from) {
        throw new IllegalArgumentException("shard range " + p + " runs backwards");
      }
      for (int s = from; s <= to; s++) {
        out.add(s);
      }
    }
    return out;
  }

  private static int number(String s, int shardCount) {
    int n;
    try {
      n = Integer.parseInt(s.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + s.strip() + "' is not a shard number", e);
    }
    if (n < 0 || n >= shardCount) {
      throw new IllegalArgumentException("shard " + n + " is outside 0.." + (shardCount - 1));
    }
    return n;
  }

  public int shardCount() {
    return shardCount;
  }

  /** The node owning {@code shard}. */
  public String ownerOf(int shard) {
    return owners[shard];
  }

  /** The nodes named in the map, in the order written. */
  public Set<String> nodes() {
    return byNode.keySet();
  }

  /** The shards {@code node} owns (empty for a node not in the map). */
  public List<Integer> shardsOf(String node) {
    return byNode.getOrDefault(node, List.of());
  }

  /**
   * Checks this node and the cluster's current members against the map, at start: this node must be
   * in the map, and every member must be a node of the map, named once. Members missing from the
   * cluster are allowed (their shards answer the retryable error until they join).
   *
   * @param self this node's name
   * @param memberNames the names the members announced, this node's included
   * @return the problems, empty when the membership fits
   */
  public List<String> checkMembership(String self, Collection<String> memberNames) {
    List<String> problems = new ArrayList<>();
    if (!byNode.containsKey(self)) {
      problems.add("this node (" + self + ") owns no entry in the shard map");
    }
    Set<String> seen = new TreeSet<>();
    for (String m : memberNames) {
      if (!byNode.containsKey(m)) {
        problems.add("member " + m + " is not in the shard map");
      } else if (!seen.add(m)) {
        problems.add("two members are named " + m);
      }
    }
    return problems;
  }
}
