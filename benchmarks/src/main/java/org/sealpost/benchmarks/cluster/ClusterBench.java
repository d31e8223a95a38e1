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
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.sealpost.benchmarks.load.ProcFs;
import org.sealpost.benchmarks.sealpost.RelayCounters;
import org.sealpost.benchmarks.sealpost.RelayProcess;
import org.sealpost.client.Mailbox;
import org.sealpost.client.RelayConnection;
import org.sealpost.proto.address.AddressException;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.proto.crypto.X25519KeyPair;
import org.sealpost.relay.RelayMain;
import org.sealpost.relay.crypto.RelayKeyStore;
import org.sealpost.relay.crypto.TlsCertificates;

/**
 * What the cluster benchmarks share: relay processes started from this class path (one relay key,
 * optionally a cluster), their CPU from /proc, and a sender loop with a window of sends in flight.
 */
final class ClusterBench {
  private ClusterBench() {}

  /** Started relay processes and their ports. */
  record Nodes(List<Process> processes, int[] listen, int[] admin, Path dir) {
    /** The relay address printed by node {@code i}, with the port changed to {@code port}. */
    RelayAddress address(int i, int port) throws IOException, AddressException {
      String line =
          Files.readAllLines(dir.resolve("n" + (i + 1) + ".out")).stream()
              .filter(l -> l.startsWith("relay address: "))
              .findFirst()
              .orElseThrow();
      RelayAddress a = RelayAddress.parse(line.substring("relay address: ".length()));
      return RelayAddress.of(a.transport(), a.relayKey(), a.host(), port, a.blockSize());
    }

    /** utime + stime of every node, in ticks of 10 ms. */
    long cpuTicks() throws IOException {
      long sum = 0;
      for (Process p : processes) {
        sum +=
            ProcFs.parseStat(Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat")))
                .totalTicks();
      }
      return sum;
    }

    /** The relays now, as the hop benchmark reads them between rounds. */
    Snapshot snapshot() throws IOException, InterruptedException {
      long commits = commits();
      Map<String, Long> threads = threadTicks();
      return new Snapshot(cpuTicks(), commits, threads);
    }

    /** Durable store commits (WAL write and fsync) so far, summed over the nodes. */
    long commits() throws IOException, InterruptedException {
      long sum = 0;
      for (int port : admin) {
        sum +=
            (long)
                RelayCounters.sum(
                    RelayCounters.scrape(port), "sealpost_store_commit_seconds_count", "");
      }
      return sum;
    }

    /**
     * CPU ticks by thread kind: "n{node}:{thread name with digits as N}" (the kernel's 15-character
     * name), summed over the live threads of each process (a thread that ended takes its ticks).
     */
    Map<String, Long> threadTicks() throws IOException {
      Map<String, Long> out = new TreeMap<>();
      for (int i = 0; i < processes.size(); i++) {
        Path tasks = Path.of("/proc", Long.toString(processes.get(i).pid()), "task");
        List<Path> threads;
        try (Stream<Path> list = Files.list(tasks)) {
          threads = list.toList();
        }
        for (Path t : threads) {
          String stat;
          try {
            stat = Files.readString(t.resolve("stat"));
          } catch (IOException gone) {
            continue; // the thread ended
          }
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          String kind = "n" + (i + 1) + ":" + name.replaceAll("[0-9]+", "N");
          out.merge(kind, ProcFs.parseStat(stat).totalTicks(), Long::sum);
        }
      }
      return out;
    }
  }

  /**
   * The relays at one moment: CPU ticks of both processes, durable commits, CPU ticks by thread
   * kind ({@link Nodes#threadTicks}).
   */
  record Snapshot(long ticks, long commits, Map<String, Long> threads) {}

  static int freePort() throws IOException {
    return RelayProcess.freePort();
  }

  /**
   * Starts {@code n} relay processes (a cluster with {@code map} of 12 shards when n > 1) and waits
   * until each is ready.
   *
   * @param publicPort the port in the relay address clients are given; 0 for node 1's own
   */
  static Nodes start(Path dir, int n, String map, int publicPort, List<Process> children)
      throws Exception {
    SecureRandom random = new SecureRandom();
    TlsCertificates.CertificatePaths key =
        new TlsCertificates(random, Clock.systemUTC())
            .loadOrCreateSelfSigned(
                Files.createDirectories(dir.resolve("cluster-key")), "sealpost-cluster");
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
    int advertised = publicPort == 0 ? listen[0] : publicPort;
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
      cmd.add("-Xmx512m");
      // -Dsealpost.bench.relayJvmOpts="..." adds flags to every relay (a profiler, say)
      String extra = System.getProperty("sealpost.bench.relayJvmOpts", "").strip();
      if (!extra.isEmpty()) {
        cmd.addAll(List.of(extra.split("\\s+")));
      }
      cmd.addAll(List.of("-cp", System.getProperty("java.class.path")));
      cmd.add(RelayMain.class.getName());
      List<String> s =
          new ArrayList<>(
              List.of(
                  "data-dir", data.toString(),
                  "data-dir-initialise", "true",
                  "listen-host", "127.0.0.1",
                  "listen-port", Integer.toString(listen[i]),
                  "public-host", "127.0.0.1",
                  "public-port", Integer.toString(advertised),
                  "admin-port", Integer.toString(admin[i]),
                  "event-loops", "1",
                  "queue-create-rate-global", "100000",
                  "queue-create-burst", "10000",
                  // a backlog of a round's sends may wait for the subscriber: no QUOTA refusals
                  "queue-quota", "10000",
                  "store-max-mib", "1024"));
      if (n > 1) {
        s.addAll(
            List.of(
                "cluster-node",
                "n" + (i + 1),
                "cluster-shards",
                map,
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
      // -Dsealpost.bench.blockSize=B runs the relays at block size B (default: the relay's)
      String block = System.getProperty("sealpost.bench.blockSize");
      if (block != null) {
        s.addAll(List.of("block-size", block));
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
    return new Nodes(nodes, listen, admin, dir);
  }

  /** Stops the started processes (SIGTERM, then SIGKILL after 20 s). */
  static void stop(List<Process> children) throws InterruptedException {
    for (Process p : children) {
      p.destroy();
    }
    for (Process p : children) {
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  /** Runs a setup step until it succeeds, for up to 60 s (routes reach a node after its start). */
  static <T> T retry(Supplier<T> step) throws InterruptedException {
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

  /**
   * Sends {@code perQueue} messages to each box, one thread per sender, window {@code inFlight}.
   */
  static void sendAll(
      List<RelayConnection> senders,
      List<Mailbox> boxes,
      int perQueue,
      int inFlight,
      byte[] content,
      X25519KeyPair me) {
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

  private static void awaitReady(int adminPort, Process p, Path out) throws Exception {
    // a join on a loaded machine took over a minute once (18:34 UTC)
    RelayProcess.awaitReady(adminPort, p, out, 300);
  }
}
