package org.sealpost.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One node's membership: a Hazelcast member bound to the configured address only, phone-home off,
 * joined by an explicit member list (no multicast, no discovery), and a clustered Vert.x whose
 * event bus runs mutual TLS with the cluster key. Hazelcast's maps hold only what Vert.x puts
 * there: node addresses and per-shard event-bus addresses, never a queue ID, key or client IP.
 */
public final class ClusterNode {
  /** The member attribute carrying the node's name from the shard map. */
  static final String NODE_ATTRIBUTE = "sealpost-node";

  private final HazelcastInstance hazelcast;
  private final Vertx vertx;

  private ClusterNode(HazelcastInstance hazelcast, Vertx vertx) {
    this.hazelcast = hazelcast;
    this.vertx = vertx;
  }

  /** The Hazelcast configuration of {@code settings}; nothing else reads any file or property. */
  static Config hazelcastConfig(ClusterSettings s) {
    Config c = new Config();
    c.setClusterName(s.key().clusterName());
    c.setProperty("hazelcast.phone.home.enabled", "false");
    c.setProperty("hazelcast.socket.bind.any", "false");
    c.setProperty("hazelcast.logging.type", "jdk");
    c.setProperty("hazelcast.shutdownhook.enabled", "false");
    // join fast, and notice a killed peer in seconds rather than Hazelcast's default minute
    c.setProperty("hazelcast.wait.seconds.before.join", "1");
    c.setProperty("hazelcast.max.wait.seconds.before.join", "5");
    c.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    c.setProperty("hazelcast.max.no.heartbeat.seconds", "10");
    c.getMemberAttributeConfig().setAttribute(NODE_ATTRIBUTE, s.node());
    // Vert.x's own node id, which it reads from the member when handed a ready instance
    c.getMemberAttributeConfig()
        .setAttribute("__vertx.nodeId", java.util.UUID.randomUUID().toString());
    NetworkConfig n = c.getNetworkConfig();
    n.setPort(s.hazelcastPort()).setPortAutoIncrement(false).setPublicAddress(s.host());
    n.getInterfaces().setEnabled(true).addInterface(s.host());
    JoinConfig join = n.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(new ArrayList<>(s.members()));
    c.addMultiMapConfig(
        new MultiMapConfig("__vertx.subs")
            .setBackupCount(1)
            .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
    c.addMapConfig(new MapConfig("__vertx.haInfo").setBackupCount(1));
    c.addMapConfig(new MapConfig("__vertx.nodeInfo").setBackupCount(1));
    return c;
  }

  /**
   * Joins the cluster and checks the membership against the shard map. Blocks while Hazelcast
   * joins: call it before any event loop serves (the relay's start), never on one.
   *
   * @throws IllegalStateException when the membership does not fit the shard map
   */
  public static Future<ClusterNode> join(ClusterSettings s, VertxOptions base) {
    HazelcastInstance hz = Hazelcast.newHazelcastInstance(hazelcastConfig(s));
    List<String> names = new ArrayList<>();
    for (Member m : hz.getCluster().getMembers()) {
      names.add(Objects.requireNonNullElse(m.getAttribute(NODE_ATTRIBUTE), "(unnamed)"));
    }
    List<String> problems = s.shards().checkMembership(s.node(), names);
    if (!problems.isEmpty()) {
      hz.shutdown();
      return Future.failedFuture(
          new IllegalStateException("cluster membership: " + String.join("; ", problems)));
    }
    VertxOptions options = new VertxOptions(base);
    options
        .getEventBusOptions()
        .setHost(s.host())
        .setPort(s.eventBusPort())
        .setClusterPublicHost(s.host())
        .setSsl(true)
        .setClientAuth(ClientAuth.REQUIRED)
        .setKeyCertOptions(
            new PemKeyCertOptions()
                .setCertPath(s.key().certificate().toString())
                .setKeyPath(s.key().privateKey().toString()))
        .setTrustOptions(new PemTrustOptions().addCertPath(s.key().certificate().toString()));
    // issue 14 (session 8): BoringSSL where it loads, as the relay's listener (tls.engine auto):
    // the JDK's AES-GCM over Netty's direct buffers was the largest share of a hop's CPU
    if (OpenSSLEngineOptions.isAvailable()) {
      options.getEventBusOptions().setSslEngineOptions(new OpenSSLEngineOptions());
    }
    return Vertx.builder()
        .with(options)
        .withClusterManager(new HazelcastClusterManager(hz))
        .buildClustered()
        .map(v -> new ClusterNode(hz, v))
        .onFailure(e -> hz.shutdown());
  }

  public Vertx vertx() {
    return vertx;
  }

  /** The names of the current members, this node's included. */
  public List<String> memberNames() {
    List<String> names = new ArrayList<>();
    for (Member m : hazelcast.getCluster().getMembers()) {
      names.add(Objects.requireNonNullElse(m.getAttribute(NODE_ATTRIBUTE), "(unnamed)"));
    }
    return names;
  }

  /** The Hazelcast member (tests read what the cluster manager holds). */
  HazelcastInstance hazelcast() {
    return hazelcast;
  }

  /** Whether this node is still a member (Hazelcast running). */
  public boolean running() {
    return hazelcast.getLifecycleService().isRunning();
  }

  /** Leaves the cluster: closes Vert.x (which leaves through the cluster manager). */
  public Future<Void> leave() {
    return vertx
        .close()
        .eventually(
            () -> {
              if (hazelcast.getLifecycleService().isRunning()) {
                hazelcast.shutdown();
              }
              return Future.succeededFuture();
            });
  }
}
