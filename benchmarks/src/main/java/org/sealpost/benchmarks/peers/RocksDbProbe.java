package org.sealpost.benchmarks.peers;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.rocksdb.CompressionType;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.sealpost.benchmarks.load.ProcFs;
import org.sealpost.benchmarks.load.ProcSample;
import org.sealpost.benchmarks.load.StorageProbeResult;

/**
 * The physical limit of the relay's storage path: RocksDB in this process, each value put, read
 * back and deleted. Every write is one synced {@link WriteBatch} holding the puts of group k and
 * the deletes of group k-1 (read in between), as a relay's writer thread batches new messages and
 * acks: one fsync per group. Compression off (ciphertext does not compress), WAL on.
 */
public final class RocksDbProbe {
  static {
    RocksDB.loadLibrary();
  }

  private final ProcFs proc;
  private final double ticksPerSecond;

  public RocksDbProbe(ProcFs proc, double ticksPerSecond) {
    this.proc = proc;
    this.ticksPerSecond = ticksPerSecond;
  }

  /** Runs each value size × group size for {@code each}, in a fresh database under {@code dir}. */
  public List<StorageProbeResult> run(Path dir, int[] valueSizes, int[] groups, Duration each)
      throws IOException {
    List<StorageProbeResult> out = new ArrayList<>();
    for (int size : valueSizes) {
      for (int group : groups) {
        Path db = dir.resolve("probe-" + size + "-" + group);
        try {
          out.add(runOne(db, size, group, each));
        } finally {
          deleteTree(db);
        }
      }
    }
    return out;
  }

  private StorageProbeResult runOne(Path path, int valueSize, int group, Duration each)
      throws IOException {
    Files.createDirectories(path);
    byte[] value = new byte[valueSize];
    for (int i = 0; i < valueSize; i++) {
      value[i] = (byte) (i * 31 + 7);
    }
    try (Options options =
            new Options()
                .setCreateIfMissing(true)
                .setCompressionType(CompressionType.NO_COMPRESSION)
                .setMaxBackgroundJobs(2);
        WriteOptions synced = new WriteOptions().setSync(true);
        RocksDB db = RocksDB.open(options, path.toString())) {
      ProcSample before = proc.self();
      long start = System.nanoTime();
      long deadline = start + each.toNanos();
      long next = 0;
      long done = 0;
      byte[][] previous = new byte[0][];
      while (System.nanoTime() < deadline) {
        byte[][] keys = new byte[group][];
        try (WriteBatch batch = new WriteBatch()) {
          for (int i = 0; i < group; i++) {
            keys[i] = ByteBuffer.allocate(8).putLong(next++).array();
            batch.put(keys[i], value);
          }
          for (byte[] k : previous) {
            batch.delete(k);
          }
          db.write(synced, batch);
        }
        done += previous.length;
        for (byte[] k : keys) {
          byte[] got = db.get(k);
          if (got == null || got.length != valueSize) {
            throw new PeerException(PeerException.Code.STORAGE_FAILED, "value lost after put");
          }
        }
        previous = keys;
      }
      try (WriteBatch batch = new WriteBatch()) {
        for (byte[] k : previous) {
          batch.delete(k);
        }
        db.write(synced, batch);
      }
      done += previous.length;
      double seconds = (System.nanoTime() - start) / 1e9;
      ProcSample after = proc.self();
      double cpu = (after.cpuTicks() - before.cpuTicks()) / ticksPerSecond;
      return new StorageProbeResult(
          valueSize,
          group,
          done,
          seconds,
          done / seconds,
          cpu * 1e6 / done,
          (double) (after.writeBytes() - before.writeBytes()) / done);
    } catch (RocksDBException e) {
      throw new PeerException(PeerException.Code.STORAGE_FAILED, "RocksDB probe write failed", e);
    }
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path f : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(f);
      }
    }
  }
}
