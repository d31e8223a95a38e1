package org.sealpost.benchmarks.store;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The raw RocksDB baseline: each of {@code threads} threads puts a batch of {@code group} values
 * with a synced write, gets each one back, then deletes them all with a second synced write
 * (concurrent threads share RocksDB's own write groups). No encryption, no bookkeeping: the ceiling
 * for "put + get + delete of 16 KiB values, durable".
 */
final class RawRocksBaseline {
  /** Result of one configuration; latency is the put batch's synced write, in microseconds. */
  record Result(int threads, int group, double msgPerSec, Histogram batchLatencyMicros) {}

  private RawRocksBaseline() {}

  static Result run(
      Path dir, int threads, int group, int valueBytes, long warmupMillis, long measureMillis)
      throws Exception {
    RocksDB.loadLibrary();
    Recorder latency = new Recorder(60_000_000L, 3);
    try (DBOptions dbOptions = new DBOptions();
        ColumnFamilyOptions cfOptions = new ColumnFamilyOptions();
        Options options =
            new Options(dbOptions, cfOptions)
                .setCreateIfMissing(true)
                .setCompressionType(CompressionType.NO_COMPRESSION)
                .setWriteBufferSize(16L << 20)
                .setMaxBackgroundJobs(2);
        WriteOptions sync = new WriteOptions().setSync(true);
        RocksDB db = RocksDB.open(options, dir.toString())) {
      byte[] value = new byte[valueBytes];
      ThreadLocalRandom.current().nextBytes(value);
      AtomicLong messages = new AtomicLong();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicReference<Exception> failure = new AtomicReference<>();
      List<Thread> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Thread w =
            new Thread(
                () -> {
                  try {
                    loop(db, sync, group, value, latency, messages, stop);
                  } catch (Exception e) {
                    failure.set(e);
                  }
                });
        workers.add(w);
        w.start();
      }
      Thread.sleep(warmupMillis);
      latency.getIntervalHistogram();
      long m0 = messages.get();
      long t0 = System.nanoTime();
      Thread.sleep(measureMillis);
      long m1 = messages.get();
      long t1 = System.nanoTime();
      Histogram h = latency.getIntervalHistogram();
      stop.set(true);
      for (Thread w : workers) {
        w.join();
      }
      if (failure.get() != null) {
        throw failure.get();
      }
      return new Result(threads, group, (m1 - m0) / ((t1 - t0) / 1e9), h);
    }
  }

  private static void loop(
      RocksDB db,
      WriteOptions sync,
      int group,
      byte[] value,
      Recorder latency,
      AtomicLong messages,
      AtomicBoolean stop)
      throws RocksDBException {
    byte[][] keys = new byte[group][];
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long seq = 0;
    while (!stop.get()) {
      long t0 = System.nanoTime();
      try (WriteBatch batch = new WriteBatch()) {
        for (int i = 0; i < group; i++) {
          byte[] k = new byte[24];
          r.nextBytes(k);
          putLong(k, 16, seq++);
          keys[i] = k;
          batch.put(k, value);
        }
        db.write(sync, batch);
      }
      latency.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
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
      messages.addAndGet(group);
    }
  }

  private static void putLong(byte[] b, int off, long v) {
    for (int i = 7; i >= 0; i--) {
      b[off + i] = (byte) v;
      v >>>= 8;
    }
  }
}
