package org.sealpost.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.client.Mailbox;
import org.sealpost.client.ReceivedMessage;
import org.sealpost.client.SealpostClient;
import org.sealpost.proto.crypto.X25519KeyPair;
import org.sealpost.relay.EmbeddedRelay;
import org.sealpost.relay.backup.Snapshots;
import org.sealpost.relay.crypto.TlsCertificates;
import org.sealpost.relay.tools.BackupTool;

/**
 * {@code sealpost relay backup} of a cluster node (a one-node cluster owning all four shards, in
 * this JVM: its own Hazelcast member and clustered Vert.x, real RocksDB shard stores): taken
 * through {@code POST /backup} while the node serves, the snapshot is a node's data directory
 * without a store of its own, and a node started on a restored copy delivers every shard's
 * envelopes as they were at that moment under the same relay address; with the node stopped the
 * tool opens the shard stores itself, and a running node's stores it never opens.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ClusterBackupIT {
  private static final int SHARDS = 4;
  private static final int BEFORE = 3;

  @TempDir Path tmp;

  private ClusterKey key;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void makeKey() throws IOException {
    Path keyDir = Files.createDirectories(tmp.resolve("cluster-key"));
    TlsCertificates.CertificatePaths p =
        new TlsCertificates(new SecureRandom(), Clock.systemUTC())
            .loadOrCreateSelfSigned(keyDir, "sealpost-cluster");
    key = new ClusterKey(p.certificate(), p.privateKey());
  }

  /** Node n1's settings on {@code dataDir}, owning every shard, with cluster ports free now. */
  private Map<String, String> node(Path dataDir, int listenPort) throws IOException {
    int hazelcast = RelayNodes.freePort();
    Map<String, String> s = new HashMap<>();
    s.put("data-dir", dataDir.toString());
    s.put("listen.port", Integer.toString(listenPort));
    s.put("cluster.node", "n1");
    s.put("cluster.shards", "n1:0-" + (SHARDS - 1));
    s.put("cluster.shard-count", Integer.toString(SHARDS));
    s.put("cluster.key-cert", key.certificate().toString());
    s.put("cluster.key", key.privateKey().toString());
    s.put("cluster.host", "127.0.0.1");
    s.put("cluster.port", Integer.toString(hazelcast));
    s.put("cluster.bus-port", Integer.toString(RelayNodes.freePort()));
    s.put("cluster.members", "127.0.0.1:" + hazelcast);
    s.put("cluster.command-timeout", "1s");
    return s;
  }

  private static EmbeddedRelay start(Map<String, String> settings) throws InterruptedException {
    return EmbeddedRelay.start(Path.of(settings.get("data-dir")), false, settings);
  }

  /** The backup tool as an operator runs it: the node's config file, its admin port. */
  private int backup(Map<String, String> settings, int adminPort, Path target) throws IOException {
    StringBuilder file = new StringBuilder();
    settings.forEach((k, v) -> file.append(k).append('=').append(v).append('\n'));
    Path config = Files.writeString(tmp.resolve("node.properties"), file);
    return new BackupTool(new PrintStream(out, true, UTF_8), new PrintStream(err, true, UTF_8))
        .run(
            List.of(
                "--config",
                config.toString(),
                "--admin-port",
                Integer.toString(adminPort),
                "--out",
                target.toString()),
            Map.of());
  }

  private static <T> T get(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private static List<String> drain(SealpostClient client, Mailbox mailbox) throws Exception {
    List<String> texts = new ArrayList<>();
    while (true) {
      Optional<ReceivedMessage> m = get(client.get(mailbox));
      if (m.isEmpty()) {
        return texts;
      }
      texts.add(new String(m.get().content(), UTF_8));
    }
  }

  private static Set<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    }
  }

  /** A node's data directory: the marker, the relay key and each shard's directory, no store. */
  private static void assertNodeSnapshot(Path snapshot) throws IOException {
    assertThat(names(snapshot))
        .containsExactlyInAnyOrder("sealpost-data.properties", "relay-key.pem", "shards");
    assertThat(names(snapshot.resolve("shards"))).containsExactlyInAnyOrder("0", "1", "2", "3");
    for (int shard = 0; shard < SHARDS; shard++) {
      Path dir = ShardStores.shardDir(snapshot, shard);
      assertThat(names(dir)).containsExactlyInAnyOrder("shard", "store.key", "store");
      assertThat(dir.resolve("store").resolve("CURRENT")).exists();
    }
  }

  @Test
  void aSnapshotTakenWhileTheNodeServesRestoresEveryShardIntoAFreshNode() throws Exception {
    Path dataA = tmp.resolve("a");
    Path snapshot = tmp.resolve("snapshot");
    Map<String, String> settingsA = node(dataA, 0);
    List<Mailbox> mailboxes = new ArrayList<>();
    List<List<String>> expected = new ArrayList<>();
    int port;
    String address;
    try (EmbeddedRelay relay = start(settingsA);
        SealpostClient client = SealpostClient.create()) {
      port = relay.port();
      address = relay.address().toString();
      X25519KeyPair sender = client.newIdentity();
      ShardTag tag = new ShardTag(key.tagKey(), SHARDS);
      Set<Integer> shards = new TreeSet<>();
      // the node creates queues on its shards in turn: one mailbox on each
      for (int i = 0; i < SHARDS; i++) {
        Mailbox m = get(client.createMailbox(relay.address()));
        mailboxes.add(m);
        shards.add(tag.shardOf(m.recipientId()));
        List<String> texts = new ArrayList<>();
        for (int n = 0; n < BEFORE + i; n++) {
          String text = "mailbox " + i + " message " + n;
          get(client.send(m.address(), text.getBytes(UTF_8), sender));
          texts.add(text);
        }
        expected.add(texts);
      }
      assertThat(shards).containsExactly(0, 1, 2, 3);
      // taken before the backup: not in it
      assertThat(drain(client, mailboxes.get(0))).isEqualTo(expected.get(0));
      get(client.send(mailboxes.get(0).address(), "kept".getBytes(UTF_8), sender));
      expected.set(0, List.of("kept"));

      int code = backup(settingsA, relay.running().adminPort(), snapshot);
      assertThat(code).as(err.toString(UTF_8)).isZero();
      assertThat(out.toString(UTF_8)).contains("from the running relay");

      // the node kept serving; what comes after the snapshot is not in it
      get(client.send(mailboxes.get(1).address(), "after".getBytes(UTF_8), sender));
      assertThat(drain(client, mailboxes.get(2))).isEqualTo(expected.get(2));
      assertThat(relay.running().ready()).isTrue();
    }
    assertThat(dataA.resolve(Snapshots.STAGING)).doesNotExist();
    assertNodeSnapshot(snapshot);

    // restore: the snapshot, copied as a whole, is the fresh node's data directory
    Path restored = tmp.resolve("restored");
    Snapshots.copyTree(snapshot, restored);
    try (EmbeddedRelay fresh = start(node(restored, port));
        SealpostClient client = SealpostClient.create()) {
      assertThat(fresh.address().toString()).isEqualTo(address);
      for (int i = 0; i < SHARDS; i++) {
        assertThat(drain(client, mailboxes.get(i))).as("mailbox " + i).isEqualTo(expected.get(i));
      }
    }
  }

  @Test
  void withTheNodeStoppedTheToolOpensEachShardStoreWithItsKey() throws Exception {
    Path dataA = tmp.resolve("a");
    Map<String, String> settingsA = node(dataA, 0);
    List<Mailbox> mailboxes = new ArrayList<>();
    int port;
    try (EmbeddedRelay relay = start(settingsA);
        SealpostClient client = SealpostClient.create()) {
      port = relay.port();
      X25519KeyPair sender = client.newIdentity();
      for (int i = 0; i < SHARDS; i++) {
        Mailbox m = get(client.createMailbox(relay.address()));
        get(client.send(m.address(), ("offline " + i).getBytes(UTF_8), sender));
        mailboxes.add(m);
      }
    }
    Path snapshot = tmp.resolve("snapshot");
    // nothing answers on port 1: the tool opens the stores itself
    assertThat(backup(settingsA, 1, snapshot)).as(err.toString(UTF_8)).isZero();
    assertThat(out.toString(UTF_8)).contains("relay stopped");
    assertThat(dataA.resolve(Snapshots.STAGING)).doesNotExist();
    assertNodeSnapshot(snapshot);

    try (EmbeddedRelay fresh = start(node(snapshot, port));
        SealpostClient client = SealpostClient.create()) {
      assertThat(fresh.running().ready()).isTrue();
      for (int i = 0; i < SHARDS; i++) {
        assertThat(drain(client, mailboxes.get(i))).containsExactly("offline " + i);
      }
    }
  }

  @Test
  void aRunningNodeWhoseAdminPortIsUnknownIsNamedNotCopiedBehindItsBack() throws Exception {
    Path dataA = tmp.resolve("a");
    Path snapshot = tmp.resolve("snapshot");
    Map<String, String> settingsA = node(dataA, 0);
    try (EmbeddedRelay relay = start(settingsA)) {
      assertThat(relay.running().ready()).isTrue();
      assertThat(backup(settingsA, 0, snapshot)).isEqualTo(3);
    }
    assertThat(err.toString(UTF_8)).contains("cannot back up", "--admin-port");
    assertThat(snapshot).doesNotExist();
  }
}
