package org.sealpost.benchmarks.store;

import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import org.HdrHistogram.Histogram;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The raw RocksDB baseline: one thread puts a batch of {@code group} values with a synced write,
 * gets each one back, then deletes them all with a second synced write. No encryption, no
 * bookkeeping: the ceiling for "put + get + delete of 16 KiB values, durable".
 */
final class RawRocksBaseline {
  /** Result of one group size. */
  record Result(int group, double msgPerSec, Histogram batchLatencyMicros) {}

  private RawRocksBaseline() {}

  static Result run(Path dir, int group, int valueBytes, long warmupMillis, long measureMillis)
      throws RocksDBException {
    RocksDB.loadLibrary();
    Histogram latency = new Histogram(60_000_000L, 3);
    try (Options options =
            new Options(new DBOptions(), new ColumnFamilyOptions())
                .setCreateIfMissing(true)
                .setCompressionType(CompressionType.NO_COMPRESSION)
                .setWriteBufferSize(16L << 20)
                .setMaxBackgroundJobs(2);
        WriteOptions sync = new WriteOptions().setSync(true);
        RocksDB db = RocksDB.open(options, dir.toString())) {
      byte[] value = new byte[valueBytes];
      ThreadLocalRandom.current().nextBytes(value);
      byte[][] keys = new byte[group][];
      long seq = 0;
      long messages = 0;
      long start = System.nanoTime();
      long measureFrom = start + warmupMillis * 1_000_000L;
      long end = measureFrom + measureMillis * 1_000_000L;
      boolean measuring = false;
      long measuredStart = 0;
      while (true) {
        long now = System.nanoTime();
        if (!measuring && now >= measureFrom) {
          measuring = true;
          measuredStart = now;
          messages = 0;
          latency.reset();
        }
        if (now >= end) {
          break;
        }
        long t0 = System.nanoTime();
        try (WriteBatch batch = new WriteBatch()) {
          for (int i = 0; i < group; i++) {
            byte[] k = new byte[24];
            ThreadLocalRandom.current().nextBytes(k);
            putLong(k, 16, seq++);
            keys[i] = k;
            batch.put(k, value);
          }
          db.write(sync, batch);
        }
        long t1 = System.nanoTime();
        if (measuring) {
          latency.recordValue(Math.max(1, (t1 - t0) / 1000));
        }
        for (int i = 0; i < group; i++) {
          if (db.get(keys[i]) == null) {
            throw new IllegalStateException("baseline lost a value");
          }
        }
        try (WriteBatch batch = new WriteBatch()) {
          for (int i = 0; i < group; i++) {
            batch.singleDelete(keys[i]);
          }
          db.write(sync, batch);
        }
        messages += group;
      }
      double seconds = (System.nanoTime() - measuredStart) / 1e9;
      return new Result(group, messages / seconds, latency);
    }
  }

  private static void putLong(byte[] b, int off, long v) {
    for (int i = 7; i >= 0; i--) {
      b[off + i] = (byte) v;
      v >>>= 8;
    }
  }
}
