package org.sealpost.benchmarks.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.sealpost.benchmarks.load.ProcFs;
import org.sealpost.benchmarks.sealpost.RelayProcess;
import org.sealpost.client.ClientOptions;
import org.sealpost.client.Mailbox;
import org.sealpost.client.RelayConnection;
import org.sealpost.client.SealpostClient;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.proto.crypto.X25519KeyPair;
import org.sealpost.relay.RelayMain;
import org.sealpost.relay.crypto.RelayKeyStore;
import org.sealpost.relay.crypto.TlsCertificates;

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
      for (Process p : children) {
        p.destroy();
      }
      for (Process p : children) {
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    }
  }

  private static int freePort() throws IOException {
    return RelayProcess.freePort();
  }

  private static void run(
      int n, int queues, int perQueue, int inFlight, Path dir, List<Process> children)
      throws Exception {
    SecureRandom random = new SecureRandom();
    TlsCertificates.CertificatePaths key =
        new TlsCertificates(random, Clock.systemUTC())
            .loadOrCreateSelfSigned(
                Files.createDirectories(dir.resolve("cluster-key")), "sealpost-cluster");
    int proxyPort = freePort();
    int[] listen = new int[n];
    int[] admin = new int[n];
    int[] hz = new int[n];
    List<String> members = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      listen[i] = freePort();
      admin[i] = freePort();
      hz[i] = freePort();
      members.add("127.0.0.1:" + hz[i]);
    }
    Path first = null;
    List<Process> nodes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Path data = Files.createDirectories(dir.resolve("n" + (i + 1)));
      Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
      if (i == 0) {
        new RelayKeyStore(random).loadOrCreate(data);
        first = data;
      } else {
        Files.copy(
            first.resolve(RelayKeyStore.FILE_NAME),
            data.resolve(RelayKeyStore.FILE_NAME),
            StandardCopyOption.COPY_ATTRIBUTES);
      }
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.addAll(List.of("-Xmx512m", "-cp", System.getProperty("java.class.path")));
      cmd.add(RelayMain.class.getName());
      List<String> s =
          new ArrayList<>(
              List.of(
                  "data-dir", data.toString(),
                  "data-dir-initialise", "true",
                  "listen-host", "127.0.0.1",
                  "listen-port", Integer.toString(listen[i]),
                  "public-host", "127.0.0.1",
                  "public-port", Integer.toString(proxyPort),
                  "admin-port", Integer.toString(admin[i]),
                  "event-loops", "1",
                  "queue-create-rate-global", "100000",
                  "queue-create-burst", "10000",
                  "store-max-mib", "1024"));
      if (n > 1) {
        s.addAll(
            List.of(
                "cluster-node",
                "n" + (i + 1),
                "cluster-shards",
                MAP,
                "cluster-shard-count",
                "12",
                "cluster-key-cert",
                key.certificate().toString(),
                "cluster-key",
                key.privateKey().toString(),
                "cluster-host",
                "127.0.0.1",
                "cluster-port",
                Integer.toString(hz[i]),
                "cluster-bus-port",
                Integer.toString(freePort()),
                "cluster-members",
                String.join(",", members),
                // a loaded 2-core machine answers a remote command in seconds at worst; the
                // default 2 s turned such waits into STORE refusals (first run, 18:31 UTC)
                "cluster-command-timeout",
                "10s"));
      }
      for (int k = 0; k < s.size(); k += 2) {
        cmd.add("--" + s.get(k));
        cmd.add(s.get(k + 1));
      }
      Process p =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("n" + (i + 1) + ".out").toFile())
              .start();
      children.add(p);
      nodes.add(p);
    }
    for (int i = 0; i < n; i++) {
      awaitReady(admin[i], nodes.get(i), dir.resolve("n" + (i + 1) + ".out"));
    }
    StringBuilder cfg =
        new StringBuilder(
            "global\n  maxconn 2000\ndefaults\n  mode tcp\n  timeout connect 2s\n"
                + "  timeout client 5m\n  timeout server 5m\nfrontend f\n  bind 127.0.0.1:"
                + proxyPort
                + "\n  default_backend b\nbackend b\n  balance roundrobin\n");
    for (int i = 0; i < n; i++) {
      cfg.append("  server n").append(i + 1).append(" 127.0.0.1:").append(listen[i]).append('\n');
    }
    Files.writeString(dir.resolve("haproxy.cfg"), cfg);
    children.add(
        new ProcessBuilder("haproxy", "-db", "-f", dir.resolve("haproxy.cfg").toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("haproxy.out").toFile())
            .start());
    Thread.sleep(1000);
    String line =
        Files.readAllLines(dir.resolve("n1.out")).stream()
            .filter(l -> l.startsWith("relay address: "))
            .findFirst()
            .orElseThrow();
    RelayAddress address = RelayAddress.parse(line.substring("relay address: ".length()));

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
        Mailbox box = retry(() -> creator.createMailbox().toCompletableFuture().join());
        creator.close();
        RelayConnection sub = client.connect(address).toCompletableFuture().join();
        retry(
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
      sendAll(senders, boxes, 20, inFlight, content, me);
      if (!warmed.await(120, TimeUnit.SECONDS)) {
        throw new IllegalStateException("warm-up not delivered");
      }
      long cpu0 = cpuTicks(nodes);
      long t0 = System.nanoTime();
      sendAll(senders, boxes, perQueue, inFlight, content, me);
      if (!delivered.await(600, TimeUnit.SECONDS)) {
        throw new IllegalStateException("not delivered: " + delivered.getCount() + " left");
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      long cpu = cpuTicks(nodes) - cpu0;
      double cpuMsPerMsg = cpu * 10.0 / total; // 100 ticks per second
      System.out.printf(
          "nodes=%d queues=%d messages=%d inflight=%d  delivered %.0f msg/s  relay CPU %.3f"
              + " ms/msg (sum over nodes)  wall %.1f s%n",
          n, queues, total, inFlight, total / seconds, cpuMsPerMsg, seconds);
    }
  }

  private static <T> T retry(java.util.function.Supplier<T> step) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        return step.get();
      } catch (RuntimeException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(500);
      }
    }
  }

  private static void sendAll(
      List<RelayConnection> senders,
      List<Mailbox> boxes,
      int perQueue,
      int inFlight,
      byte[] content,
      X25519KeyPair me)
      throws InterruptedException {
    List<CompletableFuture<Void>> done = new ArrayList<>();
    for (int q = 0; q < senders.size(); q++) {
      RelayConnection s = senders.get(q);
      Mailbox box = boxes.get(q);
      Semaphore window = new Semaphore(inFlight);
      CompletableFuture<Void> all = new CompletableFuture<>();
      done.add(all);
      Thread t =
          new Thread(
              () -> {
                try {
                  for (int i = 0; i < perQueue; i++) {
                    window.acquire();
                    s.send(box.address(), content, me)
                        .whenComplete(
                            (v, e) -> {
                              window.release();
                              if (e != null) {
                                all.completeExceptionally(e);
                              }
                            });
                  }
                  window.acquire(inFlight);
                  all.complete(null);
                } catch (InterruptedException e) {
                  all.completeExceptionally(e);
                }
              });
      t.setDaemon(true);
      t.start();
    }
    CompletableFuture.allOf(done.toArray(new CompletableFuture<?>[0])).join();
  }

  private static long cpuTicks(List<Process> nodes) throws IOException {
    long sum = 0;
    for (Process p : nodes) {
      sum +=
          ProcFs.parseStat(Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat")))
              .totalTicks();
    }
    return sum;
  }

  private static void awaitReady(int adminPort, Process p, Path out) throws Exception {
    // a join on a loaded machine took over a minute once (18:34 UTC)
    RelayProcess.awaitReady(adminPort, p, out, 300);
  }
}
