package org.sealpost.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sealpost.cluster.TestQueues.create;
import static org.sealpost.cluster.TestQueues.join;
import static org.sealpost.relay.protocol.TimingStatistics.iqr;
import static org.sealpost.relay.protocol.TimingStatistics.ksCritical;
import static org.sealpost.relay.protocol.TimingStatistics.ksStatistic;
import static org.sealpost.relay.protocol.TimingStatistics.quantile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.cluster.LoopbackCluster.Running;
import org.sealpost.cluster.TestQueues.Queue;
import org.sealpost.proto.v1.ErrorCode;
import org.sealpost.relay.protocol.ErrorMapper;
import org.sealpost.relay.queue.QueueService;

/**
 * DESIGN invariant 7 across the cluster: through node a, an authorization of a queue on node b's
 * shard with a wrong MAC (a remote hit) and one of an ID that exists nowhere but is tagged for b's
 * shard (a remote miss) are the same AUTH error and take the same time, as the local pair does. The
 * four kinds are interleaved in random order (load from anything else hits all alike) and the pairs
 * compared as the relay's {@code AuthTimingIT} compares them: Kolmogorov–Smirnov at α = 0.001,
 * medians and interquartile ranges. The control: the same measurement tells a local from a remote
 * authorization (the event-bus hop), so it has the power to see a difference.
 */
class ClusterAuthTimingIT {
  private static final int QUEUES = 32;
  private static final int WARMUP = 600;
  private static final int SAMPLES = 2_500;

  @TempDir Path tmp;

  @Test
  void remoteMissAndRemoteHitAreIndistinguishableInTimeAsLocalOnesAre() throws Exception {
    try (LoopbackCluster cluster = new LoopbackCluster(tmp, ShardMap.parse("a:0-1;b:2-3", 4), 2)) {
      Running a = cluster.start("a", 0);
      Running b = cluster.start("b", 1);
      LoopbackCluster.await(() -> a.node.memberNames().size() == 2);
      cluster.awaitAllShards(a);
      ShardTag tag = new ShardTag(cluster.key.tagKey(), 4);
      List<Queue> local = new ArrayList<>();
      List<Queue> remote = new ArrayList<>();
      for (int i = 0; i < QUEUES; i++) {
        local.add(create(a.service(), cluster.random)); // new queues go to the node's own shards
        remote.add(create(b.service(), cluster.random));
      }
      assertThat(cluster.map.ownerOf(tag.shardOf(local.get(0).created().recipientId())))
          .isEqualTo("a");
      assertThat(cluster.map.ownerOf(tag.shardOf(remote.get(0).created().recipientId())))
          .isEqualTo("b");

      Kinds kinds = new Kinds(a.service(), tag, cluster, local, remote);
      SplittableRandom order = new SplittableRandom(42);
      kinds.measure(order, WARMUP);
      // A shared 2-core machine once gave the local pair D = 0.066 (critical 0.055) while other
      // builds started: a fresh measurement decides. A real difference fails both; a false alarm
      // at alpha = 0.001 twice in a row is 1e-6.
      try {
        measureAndCheck(kinds, order, 1);
      } catch (AssertionError first) {
        measureAndCheck(kinds, order, 2);
      }
    }
  }

  private static void measureAndCheck(Kinds kinds, SplittableRandom order, int attempt) {
    double critical = ksCritical(SAMPLES);
    long[][] t = kinds.measure(order, SAMPLES);
    Comparison localPair = new Comparison(t[0], t[1]);
    Comparison remotePair = new Comparison(t[2], t[3]);
    Comparison hop = new Comparison(t[0], t[2]);
    System.out.printf(
        "cluster auth timing (attempt %d): n=%d each; local bad-MAC %d ns, unknown %d ns: %s%n"
            + "  remote bad-MAC %d ns, unknown %d ns: %s%n"
            + "  hop (local vs remote bad-MAC): %s; KS critical %.4f%n",
        attempt,
        SAMPLES,
        quantile(t[0], 0.5),
        quantile(t[1], 0.5),
        localPair,
        quantile(t[2], 0.5),
        quantile(t[3], 0.5),
        remotePair,
        hop,
        critical);
    assertThat(remotePair.medianRatio).as("remote median ratio").isBetween(0.93, 1.07);
    assertThat(remotePair.iqrRatio).as("remote IQR ratio").isBetween(0.67, 1.5);
    // the remote pair may differ no more than the local pair does: in-process (no sockets) the
    // local pair itself shows a small residue (storage.md, "Uniform lookup cost"), which
    // AuthTimingIT checks over sockets; the hop must add none
    assertThat(remotePair.ks)
        .as("remote KS statistic (local pair D = %.4f)", localPair.ks)
        .isLessThan(Math.max(critical, localPair.ks));
    // the control: the hop is visible to the same test
    assertThat(hop.ks).as("local vs remote KS statistic").isGreaterThan(critical);
  }

  /** The four kinds of AUTH refusal, sent through one node's command path. */
  private static final class Kinds {
    private final QueueService via;
    private final ShardTag tag;
    private final LoopbackCluster cluster;
    private final List<Queue> local;
    private final List<Queue> remote;

    Kinds(
        QueueService via,
        ShardTag tag,
        LoopbackCluster cluster,
        List<Queue> local,
        List<Queue> remote) {
      this.via = via;
      this.tag = tag;
      this.cluster = cluster;
      this.local = local;
      this.remote = remote;
    }

    /** {local bad MAC, local unknown, remote bad MAC, remote unknown}, interleaved at random. */
    long[][] measure(SplittableRandom order, int n) {
      long[][] out = new long[4][n];
      int[] kinds = {0, 1, 2, 3};
      for (int i = 0; i < n; i++) {
        shuffle(kinds, order);
        for (int k : kinds) {
          out[k][i] = roundTrip(id(k, i));
        }
      }
      return out;
    }

    private byte[] id(int kind, int i) {
      return switch (kind) {
        case 0 -> local.get(i % local.size()).created().recipientId();
        case 1 ->
            tag.newId(
                tag.shardOf(local.get(i % local.size()).created().recipientId()), cluster.random);
        case 2 -> remote.get(i % remote.size()).created().recipientId();
        default ->
            tag.newId(
                tag.shardOf(remote.get(i % remote.size()).created().recipientId()), cluster.random);
      };
    }

    private long roundTrip(byte[] recipientId) {
      byte[] hash = new byte[32];
      byte[] mac = new byte[32];
      cluster.random.nextBytes(mac); // wrong for every queue
      long start = System.nanoTime();
      ErrorCode code;
      try {
        join(via.authorize(recipientId, hash, new byte[] {1, 2, 3}, mac));
        code = null;
      } catch (CompletionException e) {
        code = ErrorMapper.toErrorCode(e);
      }
      long elapsed = System.nanoTime() - start;
      assertThat(code).isEqualTo(ErrorCode.ERROR_CODE_AUTH);
      return elapsed;
    }

    private static void shuffle(int[] a, SplittableRandom r) {
      for (int i = a.length - 1; i > 0; i--) {
        int j = r.nextInt(i + 1);
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
      }
    }
  }

  /** Two samples compared: KS statistic, ratio of medians and of interquartile ranges. */
  private static final class Comparison {
    final double ks;
    final double medianRatio;
    final double iqrRatio;

    Comparison(long[] x, long[] y) {
      ks = ksStatistic(x, y);
      medianRatio = (double) quantile(x, 0.5) / quantile(y, 0.5);
      iqrRatio = (double) iqr(x) / Math.max(1, iqr(y));
    }

    @Override
    public String toString() {
      return String.format(
          "median ratio %.3f, IQR ratio %.3f, KS D=%.4f", medianRatio, iqrRatio, ks);
    }
  }
}
