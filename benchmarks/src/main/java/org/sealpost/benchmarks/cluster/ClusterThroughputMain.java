package org.sealpost.benchmarks.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.sealpost.client.ClientOptions;
import org.sealpost.client.Mailbox;
import org.sealpost.client.RelayConnection;
import org.sealpost.client.SealpostClient;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.proto.crypto.X25519KeyPair;

/**
 * Issue 14: W1-style online delivery through HAProxy to 1 relay process (no cluster) or to 3 relay
 * processes in a cluster, on this machine. Q queues, each with its own sender and subscriber
 * connection through the proxy (round robin, so in the cluster most commands and pushes cross a
 * node), M messages per queue with up to F sends in flight per sender. Reports delivered msg/s and
 * the relay processes' CPU (utime + stime from /proc, summed over nodes) per message.
 *
 * <p>Usage: {@code ClusterThroughputMain <nodes 1|3> [queues=8] [messages per queue=500] [in
 * flight=16]}. Needs {@code haproxy} on the PATH. Not part of the test suite.
 */
public final class ClusterThroughputMain {
  private static final String MAP = "n1:0-3;n2:4-7;n3:8-11";

  private ClusterThroughputMain() {}

  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(args[0]);
    int queues = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    int perQueue = args.length > 2 ? Integer.parseInt(args[2]) : 500;
    int inFlight = args.length > 3 ? Integer.parseInt(args[3]) : 16;
    Path dir = Files.createTempDirectory("sealpost-cluster-bench");
    List<Process> children = new ArrayList<>();
    try {
      run(n, queues, perQueue, inFlight, dir, children);
    } finally {
      ClusterBench.stop(children);
    }
  }

  private static void run(
      int n, int queues, int perQueue, int inFlight, Path dir, List<Process> children)
      throws Exception {
    int proxyPort = ClusterBench.freePort();
    ClusterBench.Nodes nodes = ClusterBench.start(dir, n, MAP, proxyPort, children);
    StringBuilder cfg =
        new StringBuilder(
            "global\n  maxconn 2000\ndefaults\n  mode tcp\n  timeout connect 2s\n"
                + "  timeout client 5m\n  timeout server 5m\nfrontend f\n  bind 127.0.0.1:"
                + proxyPort
                + "\n  default_backend b\nbackend b\n  balance roundrobin\n");
    for (int i = 0; i < n; i++) {
      cfg.append("  server n")
          .append(i + 1)
          .append(" 127.0.0.1:")
          .append(nodes.listen()[i])
          .append('\n');
    }
    Files.writeString(dir.resolve("haproxy.cfg"), cfg);
    children.add(
        new ProcessBuilder("haproxy", "-db", "-f", dir.resolve("haproxy.cfg").toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("haproxy.out").toFile())
            .start());
    Thread.sleep(1000);
    RelayAddress address = nodes.address(0, proxyPort);

    try (SealpostClient client =
        SealpostClient.create(ClientOptions.defaults().toBuilder().reconnect(false).build())) {
      X25519KeyPair me = client.newIdentity();
      byte[] content = new byte[1024];
      List<RelayConnection> senders = new ArrayList<>();
      List<Mailbox> boxes = new ArrayList<>();
      int total = queues * perQueue;
      int warm = queues * 20;
      CountDownLatch warmed = new CountDownLatch(warm);
      CountDownLatch delivered = new CountDownLatch(total);
      for (int q = 0; q < queues; q++) {
        RelayConnection creator = client.connect(address).toCompletableFuture().join();
        // a node is ready once its own shards serve; the others' routes may take a moment
        Mailbox box =
            ClusterBench.retry(() -> creator.createMailbox().toCompletableFuture().join());
        creator.close();
        RelayConnection sub = client.connect(address).toCompletableFuture().join();
        ClusterBench.retry(
            () ->
                sub.subscribe(
                        box,
                        m -> {
                          if (warmed.getCount() > 0) {
                            warmed.countDown();
                          } else {
                            delivered.countDown();
                          }
                        })
                    .toCompletableFuture()
                    .join());
        boxes.add(box);
        senders.add(client.connect(address).toCompletableFuture().join());
      }
      // warm-up: 20 per queue, not measured
      ClusterBench.sendAll(senders, boxes, 20, inFlight, content, me);
      if (!warmed.await(120, TimeUnit.SECONDS)) {
        throw new IllegalStateException("warm-up not delivered");
      }
      long cpu0 = nodes.cpuTicks();
      long t0 = System.nanoTime();
      ClusterBench.sendAll(senders, boxes, perQueue, inFlight, content, me);
      if (!delivered.await(600, TimeUnit.SECONDS)) {
        throw new IllegalStateException("not delivered: " + delivered.getCount() + " left");
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      long cpu = nodes.cpuTicks() - cpu0;
      double cpuMsPerMsg = cpu * 10.0 / total; // 100 ticks per second
      System.out.printf(
          "nodes=%d queues=%d messages=%d inflight=%d  delivered %.0f msg/s  relay CPU %.3f"
              + " ms/msg (sum over nodes)  wall %.1f s%n",
          n, queues, total, inFlight, total / seconds, cpuMsPerMsg, seconds);
    }
  }
}
