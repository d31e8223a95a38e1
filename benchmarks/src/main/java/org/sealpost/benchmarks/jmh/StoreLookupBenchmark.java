package org.sealpost.benchmarks.jmh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.sealpost.benchmarks.store.StoreBench;
import org.sealpost.mailbox.BalancedLookup;
import org.sealpost.mailbox.IdKind;
import org.sealpost.mailbox.MailboxConfig;
import org.sealpost.mailbox.QueueId;
import org.sealpost.mailbox.QueueRecord;
import org.sealpost.mailbox.rocksdb.RocksMailboxStore;

/**
 * The store's balanced ID lookup (issue 13: the relay's read pool is a third of its CPU per message
 * in an open loop, and every Send makes one): {@code lookupBalanced} for a sender ID that exists
 * and for one that does not, against a real RocksDB store of {@code queues} queues in a temp
 * directory, one lookup at a time (the time includes the hop to the store's read pool and back).
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar StoreLookupBenchmark -f 1 -wi 3 -i 5 -w
 * 2s -r 2s}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class StoreLookupBenchmark {
  @Param({"10000"})
  public int queues;

  private Path dir;
  private RocksMailboxStore store;
  private final List<byte[]> senderIds = new ArrayList<>();
  private QueueId decoy;

  @Setup(Level.Trial)
  public void open() throws Exception {
    dir = Files.createTempDirectory("sealpost-lookup-bench");
    MailboxConfig config =
        MailboxConfig.builder(dir.resolve("store"), dir.resolve("master.key")).build();
    store = RocksMailboxStore.opener(config).open();
    for (QueueRecord q : StoreBench.createQueues(store, queues)) {
      senderIds.add(q.senderId());
    }
    // the relay's decoy: a queue of its own that a miss reads instead of the one it did not find
    decoy = StoreBench.createQueues(store, 1).get(0).queueId();
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    store.close();
    StoreBench.deleteTree(dir);
  }

  @Benchmark
  public BalancedLookup hit() {
    byte[] id = senderIds.get(ThreadLocalRandom.current().nextInt(senderIds.size()));
    return store.lookupBalanced(IdKind.SENDER, id, decoy).toCompletableFuture().join();
  }

  @Benchmark
  public BalancedLookup miss() {
    byte[] id = new byte[QueueRecord.ID_LENGTH];
    ThreadLocalRandom.current().nextBytes(id);
    return store.lookupBalanced(IdKind.SENDER, id, decoy).toCompletableFuture().join();
  }
}
