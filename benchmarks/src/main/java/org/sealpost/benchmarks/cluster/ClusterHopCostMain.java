package org.sealpost.benchmarks.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.sealpost.client.ClientOptions;
import org.sealpost.client.Mailbox;
import org.sealpost.client.RelayConnection;
import org.sealpost.client.SealpostClient;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.proto.crypto.X25519KeyPair;

/**
 * Issue 14: the cost of one cross-node hop, cleanly. One cluster of two relay processes (n1 owns
 * shards 0-5, n2 6-11); every session — senders and subscribers — is on n1. "Local" queues were
 * created through n1 (on its shards), "remote" ones through n2 (on n2's shards), so a message to a
 * remote queue crosses the event bus for its Send, the pending event, the read-back and the Ack,
 * and one to a local queue crosses nothing. Both kinds run in the same JVMs, alternated:
 *
 * <ul>
 *   <li>CPU: rounds of M messages per queue to the Q local queues, then to the Q remote ones (the
 *       order flips every round), F sends in flight per sender; utime + stime of both processes per
 *       delivered message.
 *   <li>The same over the warmer half of the rounds, with the durable commits per message (the
 *       relays' {@code sealpost_store_commit_seconds_count}) and the CPU by thread kind (each
 *       relay's threads from {@code /proc/<pid>/task}, digits folded, the JIT compiler threads
 *       apart; "threads that ended" is the process's CPU beyond its live threads').
 *   <li>Latency: one sender, one Send at a time, local and remote alternated; the time from the
 *       Send to its Ok (the owner synced it).
 * </ul>
 *
 * <p>Usage: {@code ClusterHopCostMain [queues=4] [messages per queue and round=250] [rounds=4] [in
 * flight=16] [latency samples per kind=1000]}. Not part of the test suite.
 */
public final class ClusterHopCostMain {
  private ClusterHopCostMain() {}

  public static void main(String[] args) throws Exception {
    int queues = args.length > 0 ? Integer.parseInt(args[0]) : 4;
    int perQueue = args.length > 1 ? Integer.parseInt(args[1]) : 250;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    int inFlight = args.length > 3 ? Integer.parseInt(args[3]) : 16;
    int samples = args.length > 4 ? Integer.parseInt(args[4]) : 1000;
    Path dir = Files.createTempDirectory("sealpost-cluster-hop");
    List<Process> children = new ArrayList<>();
    try {
      ClusterBench.Nodes nodes = ClusterBench.start(dir, 2, "n1:0-5;n2:6-11", 0, children);
      RelayAddress n1 = nodes.address(0, nodes.listen()[0]);
      RelayAddress n2 = nodes.address(1, nodes.listen()[1]);
      try (SealpostClient client =
          SealpostClient.create(ClientOptions.defaults().toBuilder().reconnect(false).build())) {
        X25519KeyPair me = client.newIdentity();
        AtomicReference<CountDownLatch> delivered = new AtomicReference<>(new CountDownLatch(0));
        Side local = Side.open(client, n1, n1, queues, delivered);
        Side remote = Side.open(client, n2, n1, queues, delivered);
        byte[] content = new byte[1024];
        // warm-up of both paths, not measured
        for (int r = 0; r < 2; r++) {
          local.round(perQueue / 2, inFlight, content, me, delivered);
          remote.round(perQueue / 2, inFlight, content, me, delivered);
          System.out.printf("warm-up round %d done%n", r);
        }
        int perRound = queues * perQueue;
        for (int r = 0; r < rounds; r++) {
          Side first = r % 2 == 0 ? local : remote;
          Side second = first == local ? remote : local;
          boolean warm = r >= rounds / 2; // the warmer half is also counted apart
          ClusterBench.Snapshot s0 = nodes.snapshot();
          first.round(perQueue, inFlight, content, me, delivered);
          ClusterBench.Snapshot s1 = nodes.snapshot();
          second.round(perQueue, inFlight, content, me, delivered);
          ClusterBench.Snapshot s2 = nodes.snapshot();
          first.count(s0, s1, perRound, warm);
          second.count(s1, s2, perRound, warm);
          System.out.printf(
              "round %d: local %.3f ms/msg, remote %.3f ms/msg%n",
              r, local.lastTicks * 10.0 / perRound, remote.lastTicks * 10.0 / perRound);
        }
        System.out.printf(
            "CPU (n1 + n2) per message: local %.3f ms, remote %.3f ms, ratio %.2f (%d messages"
                + " each)%n",
            local.ticks * 10.0 / local.messages,
            remote.ticks * 10.0 / remote.messages,
            (double) remote.ticks / local.ticks,
            local.messages);
        String warmRounds = (rounds / 2) + "-" + (rounds - 1);
        double localWarm = local.warmTicks * 10.0 / local.warmMessages;
        double remoteWarm = remote.warmTicks * 10.0 / remote.warmMessages;
        System.out.printf(
            "CPU (n1 + n2) per message, rounds %s: local %.3f ms, remote %.3f ms, ratio %.2f%n",
            warmRounds, localWarm, remoteWarm, remoteWarm / localWarm);
        System.out.printf(
            "Durable commits per message, rounds %s: local %.3f, remote %.3f%n",
            warmRounds,
            (double) local.warmCommits / local.warmMessages,
            (double) remote.warmCommits / remote.warmMessages);
        System.out.printf(
            "CPU per message by thread kind, rounds %s, ms (local / remote / difference):%n",
            warmRounds);
        Set<String> kinds = new TreeSet<>(local.warmThreads.keySet());
        kinds.addAll(remote.warmThreads.keySet());
        List<String> byDifference = new ArrayList<>(kinds);
        byDifference.sort(
            Comparator.comparingDouble(
                    (String k) -> remote.warmMsPerMessage(k) - local.warmMsPerMessage(k))
                .reversed());
        for (String k : byDifference) {
          double l = local.warmMsPerMessage(k);
          double rm = remote.warmMsPerMessage(k);
          if (l + rm > 0) {
            System.out.printf("  %-24s %.3f / %.3f / %+.3f%n", k, l, rm, rm - l);
          }
        }

        long[][] lat = latency(local, remote, samples, content, me);
        System.out.printf(
            "Send -> Ok, one at a time: local median %d us p90 %d us p99 %d us; remote median %d"
                + " us p90 %d us p99 %d us (n=%d each)%n",
            q(lat[0], 0.5),
            q(lat[0], 0.9),
            q(lat[0], 0.99),
            q(lat[1], 0.5),
            q(lat[1], 0.9),
            q(lat[1], 0.99),
            samples);
      }
    } finally {
      ClusterBench.stop(children);
    }
  }

  private static long[][] latency(
      Side local, Side remote, int samples, byte[] content, X25519KeyPair me) {
    long[][] out = new long[2][samples];
    RelayConnection s = local.senders.get(0);
    for (int i = -samples / 5; i < samples; i++) {
      boolean localFirst = (i & 1) == 0;
      for (int k = 0; k < 2; k++) {
        boolean isLocal = (k == 0) == localFirst;
        Mailbox box = (isLocal ? local : remote).boxes.get(0);
        long t0 = System.nanoTime();
        s.send(box.address(), content, me).toCompletableFuture().join();
        long us = (System.nanoTime() - t0) / 1000;
        if (i >= 0) {
          out[isLocal ? 0 : 1][i] = us;
        }
      }
    }
    return out;
  }

  private static long q(long[] v, double q) {
    long[] s = v.clone();
    Arrays.sort(s);
    return s[(int) Math.min(s.length - 1, Math.floor(q * s.length))];
  }

  /** The queues of one kind, their subscribers and senders (all connected to n1). */
  private static final class Side {
    private static final String ENDED = "(threads that ended)";

    final List<Mailbox> boxes = new ArrayList<>();
    final List<RelayConnection> senders = new ArrayList<>();
    // CPU ticks of both relays in this side's rounds: the last, all, and the warmer half's, with
    // the warmer half's durable commits and ticks by thread kind
    long lastTicks;
    long ticks;
    long messages;
    long warmTicks;
    long warmCommits;
    long warmMessages;
    final Map<String, Long> warmThreads = new TreeMap<>();

    /** Counts a round of {@code n} messages of this side, measured from {@code a} to {@code b}. */
    void count(ClusterBench.Snapshot a, ClusterBench.Snapshot b, int n, boolean warm) {
      lastTicks = b.ticks() - a.ticks();
      ticks += lastTicks;
      messages += n;
      if (!warm) {
        return;
      }
      warmTicks += lastTicks;
      warmCommits += b.commits() - a.commits();
      warmMessages += n;
      long live = 0;
      for (Map.Entry<String, Long> e : b.threads().entrySet()) {
        long d = e.getValue() - a.threads().getOrDefault(e.getKey(), 0L);
        warmThreads.merge(e.getKey(), d, Long::sum);
        live += d;
      }
      // the processes' ticks beyond their live threads': threads that ended meanwhile
      warmThreads.merge(ENDED, lastTicks - live, Long::sum);
    }

    double warmMsPerMessage(String kind) {
      return warmThreads.getOrDefault(kind, 0L) * 10.0 / warmMessages;
    }

    static Side open(
        SealpostClient client,
        RelayAddress createAt,
        RelayAddress useAt,
        int queues,
        AtomicReference<CountDownLatch> delivered)
        throws InterruptedException {
      Side side = new Side();
      for (int q = 0; q < queues; q++) {
        RelayConnection creator = client.connect(createAt).toCompletableFuture().join();
        Mailbox made =
            ClusterBench.retry(() -> creator.createMailbox().toCompletableFuture().join());
        creator.close();
        // the same queue, used through the node the sessions are on (one relay key, one cluster)
        Mailbox box =
            new Mailbox(
                useAt,
                made.recipientId(),
                made.senderId(),
                made.relayDhPublic(),
                made.queueKey(),
                made.sealingKey(),
                made.sendToken().orElse(null));
        RelayConnection sub = client.connect(useAt).toCompletableFuture().join();
        ClusterBench.retry(
            () ->
                sub.subscribe(box, m -> delivered.get().countDown()).toCompletableFuture().join());
        side.boxes.add(box);
        side.senders.add(client.connect(useAt).toCompletableFuture().join());
      }
      return side;
    }

    /** Sends {@code perQueue} to each of this side's queues and waits until all are delivered. */
    void round(
        int perQueue,
        int inFlight,
        byte[] content,
        X25519KeyPair me,
        AtomicReference<CountDownLatch> delivered)
        throws InterruptedException {
      CountDownLatch latch = new CountDownLatch(boxes.size() * perQueue);
      delivered.set(latch);
      ClusterBench.sendAll(senders, boxes, perQueue, inFlight, content, me);
      if (!latch.await(600, TimeUnit.SECONDS)) {
        throw new IllegalStateException("not delivered: " + latch.getCount() + " left");
      }
    }
  }
}
