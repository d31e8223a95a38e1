package org.sealpost.mailbox.rocksdb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.rocksdb.Cache;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.CompactRangeOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.PerfContext;
import org.rocksdb.PerfLevel;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.Status;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.sealpost.mailbox.MailboxConfig;
import org.sealpost.mailbox.MailboxException;
import org.sealpost.mailbox.QueueId;
import org.sealpost.mailbox.SyncPolicy;

/**
 * Owns every native RocksDB object of one store (after Kafka Streams' RocksDBStore): options,
 * cache, column-family handles, the database. Created in {@link #open}, which closes whatever it
 * made if it fails; {@link #close()} releases in the order CF handles → DB → options → cache, and
 * is idempotent. Iterators and batches are created by callers in this package in try-with-resources
 * and never leave it.
 */
final class RocksEngine implements AutoCloseable {
  static final String QUEUES = "queues";
  static final String IDS = "ids";
  static final String MESSAGES = "messages";
  static final String KEYS = "keys";
  static final String EXPIRY = "expiry";
  private static final List<String> FAMILIES =
      List.of("default", QUEUES, IDS, MESSAGES, KEYS, EXPIRY);

  /** The column families, in the order of {@link #FAMILIES}. */
  enum Family {
    META,
    QUEUES,
    IDS,
    MESSAGES,
    KEYS,
    EXPIRY
  }

  private final List<AutoCloseable> owned = new ArrayList<>();
  private final List<ColumnFamilyHandle> handles = new ArrayList<>();
  private RocksDB db;
  private Path dir;
  private boolean closed;

  private WriteOptions writeOptions;
  private WriteOptions syncWriteOptions;
  private FlushOptions flushOptions;
  private CompactRangeOptions compactOptions;

  private RocksEngine() {}

  /** Maps a RocksDB failure to the store's exception, naming the operation, never a key. */
  static MailboxException failure(String operation, RocksDBException e) {
    Status s = e.getStatus();
    if (s != null && s.getCode() == Status.Code.Corruption) {
      return new MailboxException(MailboxException.Code.CORRUPT, operation + ": corruption");
    }
    String detail = s == null ? "error" : s.getCodeString();
    return new MailboxException(MailboxException.Code.STORAGE, operation + ": " + detail);
  }

  /**
   * Opens the database. {@code create} is true only for an empty directory; otherwise the directory
   * must already hold exactly our column families.
   */
  static RocksEngine open(MailboxConfig config, Path dir, boolean create) {
    return open(config, dir, create, false);
  }

  /**
   * Opens an existing database read-only: nothing in the directory is written (no WAL replay into
   * new files, no MANIFEST, no LOCK, no info LOG), so the store can be checked before it is
   * changed.
   */
  static RocksEngine openReadOnly(MailboxConfig config, Path dir) {
    return open(config, dir, false, true);
  }

  private static RocksEngine open(
      MailboxConfig config, Path dir, boolean create, boolean readOnly) {
    NativeLibrary.load(); // issue 12: from a stable place, not a new temporary file
    RocksEngine e = new RocksEngine();
    e.dir = dir;
    try {
      e.doOpen(config, dir.toString(), create, readOnly);
      return e;
    } catch (RuntimeException ex) {
      e.close();
      throw ex;
    }
  }

  private <T extends AutoCloseable> T own(T t) {
    owned.add(t);
    return t;
  }

  private void doOpen(MailboxConfig config, String path, boolean create, boolean readOnly) {
    if (!create) {
      checkFamilies(path);
    }
    // up to half the cache is kept for index and filter blocks (inserted with high priority), so
    // reading envelopes does not evict the blocks every lookup needs first
    Cache cache = own(new LRUCache(config.blockCacheBytes(), -1, false, 0.5));
    DBOptions dbOptions = EngineOptions.dbOptions(own(new DBOptions()), create);
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    for (String name : FAMILIES) {
      descriptors.add(
          new ColumnFamilyDescriptor(
              name.getBytes(StandardCharsets.US_ASCII),
              EngineOptions.familyOptions(name, config, cache, this::own)));
    }
    try {
      if (readOnly) {
        // a logger of our own: RocksDB would otherwise create (and rotate) the LOG file
        dbOptions.setLogger(own(new SilentLogger()));
        db = RocksDB.openReadOnly(dbOptions, path, descriptors, handles);
      } else {
        db = RocksDB.open(dbOptions, path, descriptors, handles);
      }
    } catch (RocksDBException ex) {
      throw new MailboxException(openFailure(ex));
    }
    writeOptions = own(new WriteOptions()).setSync(config.syncPolicy() == SyncPolicy.ALWAYS);
    syncWriteOptions = own(new WriteOptions()).setSync(true);
    flushOptions = own(new FlushOptions()).setWaitForFlush(true);
    compactOptions =
        own(new CompactRangeOptions())
            .setExclusiveManualCompaction(false)
            .setBottommostLevelCompaction(
                CompactRangeOptions.BottommostLevelCompaction.kForceOptimized);
  }

  /** Why RocksDB refused to open the directory (never from its message alone but its status). */
  static MailboxException.OpenFailure openFailure(RocksDBException ex) {
    Status s = ex.getStatus();
    Status.Code code = s == null ? null : s.getCode();
    // the message (which names the path) is inspected, never passed on
    String text = String.valueOf(ex.getMessage()).toLowerCase(java.util.Locale.ROOT);
    if (code == Status.Code.Corruption) {
      return MailboxException.OpenFailure.DAMAGED;
    }
    if (code == Status.Code.IOError && text.contains("lock")) {
      return MailboxException.OpenFailure.IN_USE;
    }
    if (text.contains("permission denied") || text.contains("read-only file system")) {
      return MailboxException.OpenFailure.NOT_WRITABLE;
    }
    return MailboxException.OpenFailure.IO_ERROR;
  }

  /** Discards RocksDB's info log of a read-only open (it would name paths, and make a file). */
  private static final class SilentLogger extends org.rocksdb.Logger {
    SilentLogger() {
      super(InfoLogLevel.HEADER_LEVEL);
    }

    @Override
    protected void log(InfoLogLevel level, String message) {}
  }

  private static void checkFamilies(String path) {
    List<byte[]> found;
    try (Options options = new Options()) {
      found = RocksDB.listColumnFamilies(options, path);
    } catch (RocksDBException ex) {
      // a CURRENT file (checked before) whose MANIFEST cannot be read: damaged
      MailboxException.OpenFailure f = openFailure(ex);
      throw new MailboxException(
          f == MailboxException.OpenFailure.IO_ERROR ? MailboxException.OpenFailure.DAMAGED : f);
    }
    if (found.isEmpty()) {
      // RocksDB lists nothing, without an error, when CURRENT or MANIFEST is unreadable
      throw new MailboxException(MailboxException.OpenFailure.DAMAGED);
    }
    Set<String> names = new HashSet<>();
    for (byte[] f : found) {
      names.add(new String(f, StandardCharsets.US_ASCII));
    }
    if (!names.equals(new HashSet<>(FAMILIES))) {
      throw new MailboxException(MailboxException.OpenFailure.FOREIGN);
    }
  }

  private ColumnFamilyHandle handle(Family f) {
    return handles.get(f.ordinal());
  }

  /**
   * Turns on RocksDB's per-thread operation counters for the calling thread and returns them,
   * reset: for tests that check what a read costs (BalancedLookupTest).
   */
  PerfContext countOnThisThreadForTest() {
    db.setPerfLevel(PerfLevel.ENABLE_COUNT);
    PerfContext c = db.getPerfContext();
    c.reset();
    return c;
  }

  /** Writes one value outside the writer, for tests that plant a malformed entry. */
  void putForTest(Family f, byte[] key, byte[] value) throws RocksDBException {
    db.put(handle(f), key, value);
  }

  byte[] get(Family f, byte[] key) throws RocksDBException {
    return db.get(handle(f), key);
  }

  /** Whether any of {@code keys} is present in {@code f}: one batched point read (MultiGet). */
  boolean anyPresent(Family f, byte[]... keys) throws RocksDBException {
    List<ColumnFamilyHandle> cfs = new ArrayList<>(keys.length);
    for (int i = 0; i < keys.length; i++) {
      cfs.add(handle(f));
    }
    for (byte[] v : db.multiGetAsList(cfs, Arrays.asList(keys))) {
      if (v != null) {
        return true;
      }
    }
    return false;
  }

  /**
   * Where a seek landed: the first entry at or after the key sought, and whether it is that key.
   */
  record Landing(boolean exact, byte[] value) {}

  /**
   * Seeks {@code key}: the first entry at or after it, or null past the last entry. A seek never
   * consults bloom filters and positions in every level, and copies the entry it lands on out
   * whether or not it is the key, so a present and an absent key cost the same work.
   */
  Landing seek(Family f, byte[] key) throws RocksDBException {
    try (ReadOptions ro = new ReadOptions();
        RocksIterator it = db.newIterator(handle(f), ro)) {
      it.seek(key);
      if (it.isValid()) {
        byte[] found = it.key();
        byte[] value = it.value();
        return new Landing(Arrays.equals(found, key), value);
      }
      it.status();
      return null;
    }
  }

  /** The value of {@code key}, or null, found by a {@link #seek} instead of a point read. */
  byte[] seekExact(Family f, byte[] key) throws RocksDBException {
    Landing at = seek(f, key);
    return at != null && at.exact() ? at.value() : null;
  }

  /** Visits one entry of a scan; returns false to stop it. */
  @FunctionalInterface
  interface EntryVisitor {
    boolean visit(byte[] key, byte[] value) throws RocksDBException;
  }

  /**
   * Visits the entries of {@code f} with {@code lower <= key < upper} in key order (descending if
   * {@code reverse}) until {@code visitor} returns false. The iterator never leaves this class.
   */
  void scan(Family f, byte[] lower, byte[] upper, boolean reverse, EntryVisitor visitor)
      throws RocksDBException {
    try (Slice lo = new Slice(lower);
        Slice hi = new Slice(upper);
        ReadOptions ro = new ReadOptions().setIterateLowerBound(lo).setIterateUpperBound(hi);
        RocksIterator it = db.newIterator(handle(f), ro)) {
      if (reverse) {
        it.seekToLast();
      } else {
        it.seekToFirst();
      }
      while (it.isValid()) {
        if (!visitor.visit(it.key(), it.value())) {
          return;
        }
        if (reverse) {
          it.prev();
        } else {
          it.next();
        }
      }
      it.status();
    }
  }

  /** What a queue holds, from its entries in the small {@code keys} family. */
  record QueueTally(int count, long bytes, long tailSeq, long headSeq) {}

  /**
   * Counts a queue's stored envelopes and their bytes, and finds its last and first sequence
   * numbers (0 if none), with one reverse scan of the {@code keys} family: the counters behind the
   * quotas.
   */
  QueueTally tally(QueueId q) throws RocksDBException {
    long[] t = new long[4]; // count, bytes, tail, head
    scan(
        Family.KEYS,
        KeyCodec.seqKey(q, 1),
        KeyCodec.queueUpperBound(q),
        true,
        (k, v) -> {
          if (t[2] == 0) {
            t[2] = KeyCodec.seqOf(k);
          }
          t[3] = KeyCodec.seqOf(k);
          t[0]++;
          t[1] += KeyCodec.lengthOf(v);
          return true;
        });
    return new QueueTally((int) t[0], t[1], t[2], t[3]);
  }

  /** A new write batch; the caller closes it (try-with-resources or its owner's close). */
  Batch newBatch() {
    return new Batch(this);
  }

  /** Writes {@code batch} with the store's sync policy. */
  void write(Batch batch) throws RocksDBException {
    db.write(writeOptions, batch.batch);
  }

  /** Writes {@code batch} synced, whatever the policy (store metadata at open). */
  void writeSynced(Batch batch) throws RocksDBException {
    db.write(syncWriteOptions, batch.batch);
  }

  /** Flushes every family, so the current WAL holds nothing live and is deleted. */
  void flushAll() throws RocksDBException {
    db.flush(flushOptions, handles);
  }

  /** Compacts the whole family to the bottom level. */
  void compactAll(Family f) throws RocksDBException {
    db.compactRange(handle(f), null, null, compactOptions);
  }

  /**
   * A native {@link WriteBatch} addressed by family, so column-family handles stay in the engine.
   * Closing it is idempotent.
   */
  static final class Batch implements AutoCloseable {
    private final RocksEngine engine;
    private final WriteBatch batch = new WriteBatch();

    private Batch(RocksEngine engine) {
      this.engine = engine;
    }

    void put(Family f, byte[] key, byte[] value) throws RocksDBException {
      batch.put(engine.handle(f), key, value);
    }

    void delete(Family f, byte[] key) throws RocksDBException {
      batch.delete(engine.handle(f), key);
    }

    /** For keys written once: the put and the delete cancel out in flush or compaction. */
    void singleDelete(Family f, byte[] key) throws RocksDBException {
      batch.singleDelete(engine.handle(f), key);
    }

    void setSavePoint() {
      batch.setSavePoint();
    }

    void rollbackToSavePoint() throws RocksDBException {
      batch.rollbackToSavePoint();
    }

    int count() {
      return batch.count();
    }

    @Override
    public void close() {
      batch.close();
    }
  }

  // issue 12: online backup
  /**
   * A consistent, openable copy of the database in {@code target} (which must not exist): the
   * memtables are flushed, SST files hard-linked when on the same file system (else copied), the
   * manifest and live WAL copied. Safe while writes go on.
   */
  void checkpoint(Path target) throws RocksDBException {
    try (org.rocksdb.Checkpoint checkpoint = org.rocksdb.Checkpoint.create(db)) {
      checkpoint.createCheckpoint(target.toString());
    }
  }

  /** Bytes on disk: SST files of every live version plus the WAL files. */
  long diskBytes() throws RocksDBException {
    long total = 0;
    for (ColumnFamilyHandle h : handles) {
      total += db.getLongProperty(h, "rocksdb.total-sst-files-size");
    }
    return total + walBytes();
  }

  /**
   * The WAL files' sizes, read from the directory. RocksDB's {@code getSortedWalFiles} also opens
   * every WAL to read its first sequence number: about 1.5 ms on the writer thread each time the
   * disk budget was measured (docs/benchmarks.md, "The store's disk measurement").
   */
  private long walBytes() {
    long total = 0;
    try (DirectoryStream<Path> wals = Files.newDirectoryStream(dir, "*.log")) {
      for (Path wal : wals) {
        try {
          total += Files.size(wal);
        } catch (NoSuchFileException deleted) {
          // deleted after a flush between the listing and this read: no longer on disk
        }
      }
    } catch (IOException e) {
      throw new MailboxException(MailboxException.Code.STORAGE, "disk usage: directory unreadable");
    }
    return total;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    // order: column-family handles → database → options and cache (reverse creation order)
    for (ColumnFamilyHandle h : handles) {
      h.close();
    }
    handles.clear();
    if (db != null) {
      try {
        db.closeE();
      } catch (RocksDBException ignored) {
        // closing a database that failed to write; nothing more to release
      }
      db = null;
    }
    List<AutoCloseable> reverse = new ArrayList<>(owned);
    java.util.Collections.reverse(reverse);
    for (AutoCloseable c : reverse) {
      try {
        c.close();
      } catch (Exception ignored) {
        // native options never fail to close
      }
    }
    owned.clear();
  }

  static boolean sameBytes(byte[] a, byte[] b) {
    return a != null && b != null && Arrays.equals(a, b);
  }
}
