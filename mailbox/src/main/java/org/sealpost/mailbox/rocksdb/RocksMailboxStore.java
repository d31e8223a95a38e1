package org.sealpost.mailbox.rocksdb;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;
import org.rocksdb.RocksDBException;
import org.sealpost.mailbox.Appended;
import org.sealpost.mailbox.BalancedLookup;
import org.sealpost.mailbox.ExpiryReport;
import org.sealpost.mailbox.IdGenerator;
import org.sealpost.mailbox.IdKind;
import org.sealpost.mailbox.MailboxConfig;
import org.sealpost.mailbox.MailboxException;
import org.sealpost.mailbox.MailboxStats;
import org.sealpost.mailbox.MailboxStore;
import org.sealpost.mailbox.MessageId;
import org.sealpost.mailbox.QueueId;
import org.sealpost.mailbox.QueueRecord;
import org.sealpost.mailbox.QueueSecrets;
import org.sealpost.mailbox.StoredEnvelope;
import org.sealpost.mailbox.rocksdb.RocksEngine.Family;

/**
 * The RocksDB implementation of {@link MailboxStore}: one group-commit writer thread, a small
 * bounded read pool, and a maintenance scheduler that shreds deleted keys and sweeps expired data.
 * Open with {@link #opener(MailboxConfig)}.
 *
 * <p>Threads: write stages complete on the store's completion thread (in submission order), read
 * stages on a read-pool thread. Calling {@link #close()} from a completion callback is refused.
 */
public final class RocksMailboxStore implements MailboxStore {
  private static final System.Logger LOG = System.getLogger(RocksMailboxStore.class.getName());
  private static final byte[] META_FORMAT = "format".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] META_CHECK = "check".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] META_EPOCH = "epoch".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] FORMAT = "sealpost-mailbox/1".getBytes(StandardCharsets.US_ASCII);
  private static final int EXPIRE_STEP_BUDGET = 512;

  private final MailboxConfig config;
  private final Clock clock;
  private final IdGenerator ids;
  private final RocksEngine engine;
  private final AtRestCrypto crypto;
  private final GroupCommitWriter writer;
  private final Executor readExecutor;
  private final ExecutorService ownedReadPool;
  private final ScheduledExecutorService scheduler;
  private final boolean ownsScheduler;
  private final List<ScheduledFuture<?>> tasks = new ArrayList<>();
  private final ReentrantReadWriteLock guard = new ReentrantReadWriteLock();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final ConcurrentLinkedQueue<CompletableFuture<Void>> shredWaiters =
      new ConcurrentLinkedQueue<>();
  private final QueueId dummyQueue;
  private final byte[] dummyKey;
  private final byte[] dummySealed;
  private final ActivityFilter activity = new ActivityFilter();
  private final InternalErrors errors = new InternalErrors();

  /** Starts configuring a store; {@link Opener#open()} opens it. */
  public static Opener opener(MailboxConfig config) {
    return new Opener(config);
  }

  /** Dependencies of a store; everything but the config has a default. */
  public static final class Opener {
    private final MailboxConfig config;
    private Clock clock = Clock.systemUTC();
    private SecureRandom random;
    private IdGenerator ids;
    private Executor readExecutor;
    private ScheduledExecutorService scheduler;

    private Opener(MailboxConfig config) {
      this.config = Objects.requireNonNull(config, "config");
    }

    /** Time for expiry and the coarse dates of records. */
    public Opener clock(Clock v) {
      clock = Objects.requireNonNull(v);
      return this;
    }

    public Opener random(SecureRandom v) {
      random = Objects.requireNonNull(v);
      return this;
    }

    /** Generator of recipient and sender IDs (default: 32 random bytes each). */
    public Opener idGenerator(IdGenerator v) {
      ids = Objects.requireNonNull(v);
      return this;
    }

    /**
     * Executor for reads; it should be bounded (a rejection becomes {@code OVERLOAD}). Default: a
     * pool of {@code readThreads} threads with a queue of {@code readQueueCapacity}, owned by the
     * store.
     */
    public Opener readExecutor(Executor v) {
      readExecutor = Objects.requireNonNull(v);
      return this;
    }

    /** Scheduler for shredding and expiry sweeps. Default: one thread owned by the store. */
    public Opener scheduler(ScheduledExecutorService v) {
      scheduler = Objects.requireNonNull(v);
      return this;
    }

    /**
     * Opens (or creates) the store. Fails with {@code CORRUPT} for a foreign or damaged directory
     * or a master key that does not match it; whatever was opened is closed again.
     */
    public RocksMailboxStore open() {
      SecureRandom r = random != null ? random : new SecureRandom();
      return new RocksMailboxStore(
          this, r, ids != null ? ids : IdGenerator.random(r), readExecutor, scheduler);
    }
  }

  private RocksMailboxStore(
      Opener o,
      SecureRandom random,
      IdGenerator ids,
      Executor readExecutor,
      ScheduledExecutorService scheduler) {
    this.config = o.config;
    this.clock = o.clock;
    this.ids = ids;
    Path dir = config.dataDir();
    boolean existing = inspect(dir);
    byte[] master;
    if (existing) {
      if (!MasterKeyFile.exists(config.masterKeyFile())) {
        throw new MailboxException(
            MailboxException.Code.CORRUPT,
            "open store: the master key file of this data directory is missing");
      }
      master = MasterKeyFile.read(config.masterKeyFile());
    } else {
      master =
          MasterKeyFile.exists(config.masterKeyFile())
              ? MasterKeyFile.read(config.masterKeyFile())
              : MasterKeyFile.create(config.masterKeyFile(), random);
    }
    AtRestCrypto c = new AtRestCrypto(master, random);
    Arrays.fill(master, (byte) 0);
    RocksEngine e = null;
    ExecutorService pool = null;
    ScheduledExecutorService sched = null;
    try {
      if (!existing) {
        createAtomically(config, c);
      }
      e = RocksEngine.open(config, dir, false);
      long[] stats = new long[3];
      long epoch = initMeta(e, c, true, stats);
      this.engine = e;
      this.crypto = c;
      this.writer =
          new GroupCommitWriter(
              e, c, config, clock, epoch, stats, errors, daemons("sealpost-mailbox-writer-"));
      if (readExecutor == null) {
        pool =
            new ThreadPoolExecutor(
                config.readThreads(),
                config.readThreads(),
                0,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(config.readQueueCapacity()),
                daemons("sealpost-mailbox-read-"));
        readExecutor = pool;
      }
      this.readExecutor = readExecutor;
      this.ownedReadPool = pool;
      this.ownsScheduler = scheduler == null;
      if (scheduler == null) {
        ScheduledThreadPoolExecutor s =
            new ScheduledThreadPoolExecutor(1, daemons("sealpost-mailbox-maintenance-"));
        s.setRemoveOnCancelPolicy(true);
        sched = s;
        scheduler = s;
      }
      this.scheduler = scheduler;
      byte[] q = new byte[QueueId.LENGTH];
      random.nextBytes(q);
      this.dummyQueue = QueueId.of(q);
      this.dummyKey = c.randomStorageKey();
      this.dummySealed =
          c.sealRecord(
              dummyKey,
              q,
              RecordCodec.encode(
                  new byte[32],
                  new byte[32],
                  new QueueSecrets(new byte[32], new byte[32]),
                  null,
                  0,
                  0));
      writer.start();
      long shredMillis = Math.max(50, config.shredWindow().toMillis() / 2);
      tasks.add(
          scheduler.scheduleWithFixedDelay(
              this::shred, shredMillis, shredMillis, TimeUnit.MILLISECONDS));
      long sweepMillis = config.sweepInterval().toMillis();
      tasks.add(
          scheduler.scheduleWithFixedDelay(
              this::scheduledSweep, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS));
    } catch (RuntimeException ex) {
      if (pool != null) {
        pool.shutdownNow();
      }
      if (sched != null) {
        sched.shutdownNow();
      }
      if (e != null) {
        e.close();
      }
      c.close();
      throw ex;
    }
  }

  /** True if {@code dir} holds a database; a non-empty directory without one is foreign. */
  private static boolean inspect(Path dir) {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new MailboxException(
          MailboxException.Code.CORRUPT, "open store: the data directory is not a directory");
    }
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> s = Files.list(dir)) {
      if (s.findAny().isEmpty()) {
        return false;
      }
    } catch (IOException ex) {
      throw new MailboxException(MailboxException.Code.STORAGE, "open store: cannot list data dir");
    }
    if (!Files.isRegularFile(dir.resolve("CURRENT"))) {
      throw new MailboxException(
          MailboxException.Code.CORRUPT, "open store: not a Sealpost mailbox (no database)");
    }
    return true;
  }

  /**
   * Creates the database in a sibling directory and renames it into place once its metadata is
   * written, so a crash during creation never leaves a half-made data directory.
   */
  private static void createAtomically(MailboxConfig config, AtRestCrypto c) {
    Path dir = config.dataDir();
    Path tmp = dir.resolveSibling(dir.getFileName() + ".creating");
    try {
      deleteTree(tmp);
      Files.createDirectories(tmp.getParent());
      try (RocksEngine e = RocksEngine.open(config, tmp, true)) {
        initMeta(e, c, false, new long[3]);
      }
      if (Files.isDirectory(dir)) {
        Files.delete(dir); // empty, checked by inspect()
      }
      Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
      try (FileChannel parent = FileChannel.open(dir.getParent(), StandardOpenOption.READ)) {
        parent.force(true);
      }
    } catch (IOException ex) {
      deleteTreeQuietly(tmp);
      throw new MailboxException(MailboxException.Code.STORAGE, "create data directory: I/O error");
    } catch (RuntimeException ex) {
      deleteTreeQuietly(tmp);
      throw ex;
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static void deleteTreeQuietly(Path root) {
    try {
      deleteTree(root);
    } catch (IOException ignored) {
      // best effort; the next open deletes it again
    }
  }

  private static long initMeta(RocksEngine e, AtRestCrypto c, boolean existing, long[] stats) {
    try (RocksEngine.Batch batch = e.newBatch()) {
      long epoch;
      if (existing) {
        byte[] format = e.get(Family.META, META_FORMAT);
        if (!RocksEngine.sameBytes(format, FORMAT)) {
          throw new MailboxException(
              MailboxException.Code.CORRUPT, "open store: not a Sealpost mailbox (format)");
        }
        if (!RocksEngine.sameBytes(e.get(Family.META, META_CHECK), c.checkValue())) {
          throw new MailboxException(
              MailboxException.Code.CORRUPT,
              "open store: the master key does not match this data directory");
        }
        byte[] ep = e.get(Family.META, META_EPOCH);
        byte[] st = e.get(Family.META, GroupCommitWriter.META_STATS);
        if (ep == null || ep.length != 8 || st == null || st.length != 24) {
          throw new MailboxException(MailboxException.Code.CORRUPT, "open store: bad metadata");
        }
        epoch = KeyCodec.getLong(ep, 0) + 1;
        for (int i = 0; i < 3; i++) {
          stats[i] = KeyCodec.getLong(st, i * 8);
        }
      } else {
        epoch = 1;
        batch.put(Family.META, META_FORMAT, FORMAT);
        batch.put(Family.META, META_CHECK, c.checkValue());
        batch.put(Family.META, GroupCommitWriter.META_STATS, new byte[24]);
      }
      if (epoch >= (1L << 23)) {
        throw new MailboxException(MailboxException.Code.STORAGE, "open store: epochs exhausted");
      }
      byte[] ep = new byte[8];
      KeyCodec.putLong(ep, 0, epoch);
      batch.put(Family.META, META_EPOCH, ep);
      e.writeSynced(batch);
      return epoch;
    } catch (RocksDBException ex) {
      throw RocksEngine.failure("open store", ex);
    }
  }

  private static ThreadFactory daemons(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  // ---- writes ----

  @Override
  public CompletionStage<QueueRecord> createQueue(QueueSecrets secrets) {
    Objects.requireNonNull(secrets, "secrets");
    return writer.submit(new Ops.Create(secrets, ids));
  }

  @Override
  public CompletionStage<QueueRecord> secureQueue(QueueId queue, byte[] sendToken) {
    Objects.requireNonNull(queue, "queue");
    if (sendToken.length != QueueRecord.SEND_TOKEN_LENGTH) {
      throw new IllegalArgumentException("a send token has 16 bytes");
    }
    return writer.submit(new Ops.Secure(queue, sendToken.clone()));
  }

  @Override
  public CompletionStage<Appended> append(QueueId queue, byte[] envelope) {
    Objects.requireNonNull(queue, "queue");
    if (envelope.length == 0 || envelope.length > config.maxEnvelopeBytes()) {
      return CompletableFuture.failedFuture(
          new MailboxException(MailboxException.Code.ENVELOPE_SIZE, "append: envelope size"));
    }
    if (closed.get()) {
      return closedFuture("append");
    }
    // encrypt on the caller's thread: the writer thread only batches and syncs
    byte[] id = new byte[MessageId.LENGTH];
    crypto.randomBytes(id);
    MessageId messageId = MessageId.of(id);
    byte[] storageKey = crypto.randomStorageKey();
    byte[] ct = crypto.sealEnvelope(storageKey, envelopeAad(queue, messageId), envelope);
    return writer.submit(new Ops.Append(queue, messageId, storageKey, ct, envelope));
  }

  @Override
  public CompletionStage<Boolean> ack(QueueId queue, MessageId messageId) {
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(messageId, "messageId");
    return writer.submit(new Ops.Ack(queue, messageId));
  }

  @Override
  public CompletionStage<Void> deleteQueue(QueueId queue) {
    Objects.requireNonNull(queue, "queue");
    return writer.submit(new Ops.DeleteQueue(queue));
  }

  @Override
  public CompletionStage<ExpiryReport> expire() {
    return expireFrom(0, 0);
  }

  private CompletableFuture<ExpiryReport> expireFrom(long envelopes, long queues) {
    return writer
        .submit(new Ops.ExpireStep(EXPIRE_STEP_BUDGET))
        .thenCompose(
            r -> {
              long e = envelopes + r.report().envelopes();
              long q = queues + r.report().queues();
              return r.more()
                  ? expireFrom(e, q)
                  : CompletableFuture.completedFuture(new ExpiryReport(e, q));
            });
  }

  private void scheduledSweep() {
    expire()
        .whenComplete(
            (r, ex) -> {
              if (ex != null && !closed.get()) {
                LOG.log(
                    System.Logger.Level.WARNING, "mailbox expiry sweep failed: {0}", codeOf(ex));
              }
            });
  }

  // ---- reads ----

  @Override
  public CompletionStage<Optional<QueueRecord>> findByRecipientId(byte[] recipientId) {
    return find(KeyCodec.ID_RECIPIENT, recipientId.clone());
  }

  @Override
  public CompletionStage<Optional<QueueRecord>> findBySenderId(byte[] senderId) {
    return find(KeyCodec.ID_SENDER, senderId.clone());
  }

  private CompletionStage<Optional<QueueRecord>> find(byte kind, byte[] id) {
    return read("find queue", () -> findNow(kind, id));
  }

  @Override
  public CompletionStage<BalancedLookup> lookupBalanced(IdKind kind, byte[] id, byte[] decoyId) {
    Objects.requireNonNull(kind, "kind");
    byte[] own = id.clone();
    byte[] decoy = decoyId == null ? null : decoyId.clone();
    byte k = kind == IdKind.RECIPIENT ? KeyCodec.ID_RECIPIENT : KeyCodec.ID_SENDER;
    // both lookups in one read task: one hop to the read pool instead of two
    return read(
        "find queue",
        () -> {
          Optional<QueueRecord> found = findNow(k, own);
          byte[] counterpart = found.isPresent() || decoy == null ? randomProbe() : decoy;
          boolean counterpartFound;
          try {
            counterpartFound = findNow(k, counterpart).isPresent();
          } catch (MailboxException | RocksDBException ex) {
            counterpartFound = true; // the balance failed, not the lookup: keep the decoy
          }
          return new BalancedLookup(found, counterpartFound);
        });
  }

  /** A random ID to look up as the balancing miss; a probe, not a secret. */
  private static byte[] randomProbe() {
    byte[] probe = new byte[QueueRecord.ID_LENGTH];
    java.util.concurrent.ThreadLocalRandom.current().nextBytes(probe);
    return probe;
  }

  private Optional<QueueRecord> findNow(byte kind, byte[] id) throws RocksDBException {
    // a seek, not a point read: `ids` has a bloom filter that would make a miss cheap
    byte[] v = engine.seekExact(Family.IDS, crypto.idIndexKey(kind, id));
    if (v == null || v.length != QueueId.LENGTH) {
      dummyLookup();
      return Optional.empty();
    }
    QueueId q = QueueId.of(v);
    try {
      return Optional.of(RecordCodec.decode(q, writer.readRecord(q, "find queue")));
    } catch (MailboxException ex) {
      if (ex.code() == MailboxException.Code.NOT_FOUND) {
        return Optional.empty(); // deleted between the two reads
      }
      throw ex;
    }
  }

  /** What a hit costs, for a miss: two point reads of absent keys and a record decryption. */
  private void dummyLookup() throws RocksDBException {
    byte[] q = new byte[QueueId.LENGTH];
    crypto.randomBytes(q);
    QueueId probe = QueueId.of(q);
    engine.get(Family.QUEUES, KeyCodec.queueKey(probe));
    engine.get(Family.KEYS, KeyCodec.seqKey(probe, 0));
    RecordCodec.decode(dummyQueue, crypto.openRecord(dummyKey, dummyQueue.bytes(), dummySealed));
  }

  @Override
  public CompletionStage<Boolean> isFull(QueueId queue) {
    Objects.requireNonNull(queue, "queue");
    return read(
        "queue fullness",
        () -> {
          if (engine.get(Family.KEYS, KeyCodec.seqKey(queue, 0)) == null) {
            throw GroupCommitWriter.notFound("queue fullness");
          }
          // the same counters the writer's quota check keeps
          RocksEngine.QueueTally tally = engine.tally(queue);
          return tally.count() >= config.queueMessageQuota()
              || tally.bytes() + config.maxEnvelopeBytes() > config.queueByteQuota();
        });
  }

  @Override
  public CompletionStage<List<StoredEnvelope>> readPending(
      QueueId queue, long afterPosition, int maxCount) {
    Objects.requireNonNull(queue, "queue");
    if (maxCount <= 0) {
      throw new IllegalArgumentException("maxCount must be positive");
    }
    int limit = Math.min(maxCount, config.maxPageSize());
    long from =
        afterPosition < 1
            ? 1
            : (afterPosition == Long.MAX_VALUE ? afterPosition : afterPosition + 1);
    PendingCache pending = writer.pending;
    if (pending.enabled()) {
      // a subscriber that keeps up is answered from memory, on the caller's thread
      int hour = writer.nowHour();
      List<StoredEnvelope> cached = pending.read(queue, from - 1, limit, hour);
      if (cached != null && !closed.get()) {
        touchOncePerHour(queue, hour);
        return CompletableFuture.completedFuture(cached);
      }
    }
    // noted before the disk read: the result may be cached only if nothing changed the queue since
    long version = pending.version(queue);
    return read(
        "read pending",
        () -> {
          // existence: the record's key is small and cached, and no decryption is needed
          if (engine.get(Family.KEYS, KeyCodec.seqKey(queue, 0)) == null) {
            throw GroupCommitWriter.notFound("read pending");
          }
          int hour = writer.nowHour();
          touchOncePerHour(queue, hour);
          List<byte[][]> entries = new ArrayList<>();
          boolean[] expiredSkipped = {false};
          engine.scan(
              Family.KEYS,
              KeyCodec.seqKey(queue, from),
              KeyCodec.queueUpperBound(queue),
              false,
              (k, v) -> {
                if (KeyCodec.expiresHourOf(v) > hour) {
                  entries.add(new byte[][] {k, v});
                } else {
                  expiredSkipped[0] = true;
                }
                return entries.size() < limit;
              });
          // a short page saw every pending envelope after `from`: the queue's tail, if unchanged
          boolean cacheable = pending.enabled() && entries.size() < limit && !expiredSkipped[0];
          List<StoredEnvelope> out = new ArrayList<>(entries.size());
          List<PendingCache.Entry> tail = cacheable ? new ArrayList<>(entries.size()) : null;
          for (byte[][] kv : entries) {
            byte[] ct = engine.get(Family.MESSAGES, kv[0]);
            if (ct == null) {
              continue; // acked meanwhile
            }
            MessageId id =
                MessageId.of(
                    Arrays.copyOfRange(
                        kv[1], KeyCodec.STORAGE_KEY_LENGTH, KeyCodec.STORAGE_KEY_LENGTH + 12));
            byte[] storageKey = Arrays.copyOf(kv[1], KeyCodec.STORAGE_KEY_LENGTH);
            byte[] plain = crypto.openEnvelope(storageKey, envelopeAad(queue, id), ct);
            long seq = KeyCodec.seqOf(kv[0]);
            out.add(new StoredEnvelope(seq, id, plain));
            if (cacheable) {
              tail.add(
                  new PendingCache.Entry(seq, id, plain.clone(), KeyCodec.expiresHourOf(kv[1])));
            }
          }
          if (cacheable) {
            writer.submit(new Ops.InstallPending(queue, version, from - 1, tail));
          }
          return out;
        });
  }

  @Override
  public CompletionStage<MailboxStats> stats() {
    return read("stats", () -> writer.publishedStats(engine.diskBytes()));
  }

  /** A read is recipient activity: moves the queue's last-activity hour, once an hour. */
  private void touchOncePerHour(QueueId queue, int hour) {
    if (activity.firstThisHour(queue, hour)) {
      writer.submit(new Ops.Touch(queue)); // best effort; a full queue only delays it
    }
  }

  private static byte[] envelopeAad(QueueId queue, MessageId id) {
    byte[] aad = new byte[QueueId.LENGTH + MessageId.LENGTH];
    queue.copyTo(aad, 0);
    System.arraycopy(id.bytes(), 0, aad, QueueId.LENGTH, MessageId.LENGTH);
    return aad;
  }

  @FunctionalInterface
  private interface ReadTask<T> {
    T run() throws RocksDBException;
  }

  private <T> CompletionStage<T> read(String op, ReadTask<T> task) {
    if (closed.get()) {
      return closedFuture(op);
    }
    CompletableFuture<T> f = new CompletableFuture<>();
    try {
      readExecutor.execute(
          () -> {
            if (!enter()) {
              f.completeExceptionally(closedError(op));
              return;
            }
            try {
              f.complete(task.run());
            } catch (MailboxException ex) {
              f.completeExceptionally(ex);
            } catch (RocksDBException ex) {
              f.completeExceptionally(RocksEngine.failure(op, ex));
            } catch (RuntimeException ex) {
              f.completeExceptionally(errors.report(op, ex));
            } finally {
              exit();
            }
          });
    } catch (RejectedExecutionException ex) {
      f.completeExceptionally(
          new MailboxException(
              closed.get() ? MailboxException.Code.CLOSED : MailboxException.Code.OVERLOAD,
              op + ": read pool full"));
    }
    return f;
  }

  private boolean enter() {
    if (!guard.readLock().tryLock()) {
      return false;
    }
    if (closed.get()) {
      guard.readLock().unlock();
      return false;
    }
    return true;
  }

  private void exit() {
    guard.readLock().unlock();
  }

  private static MailboxException closedError(String op) {
    return new MailboxException(MailboxException.Code.CLOSED, op + ": store closed");
  }

  private static <T> CompletableFuture<T> closedFuture(String op) {
    return CompletableFuture.failedFuture(closedError(op));
  }

  private static String codeOf(Throwable t) {
    Throwable c = t instanceof java.util.concurrent.CompletionException ? t.getCause() : t;
    return c instanceof MailboxException m ? m.code().name() : c.getClass().getSimpleName();
  }

  // ---- shredding ----

  /**
   * Completes at the end of the next shred run that starts after this call (flush of every family,
   * so old WALs are deleted, then a full compaction of the {@code keys} family). For tests and
   * operators; the schedule does not depend on it.
   */
  public CompletionStage<Void> nextShredCompletion() {
    CompletableFuture<Void> f = new CompletableFuture<>();
    if (closed.get()) {
      f.completeExceptionally(closedError("shred"));
      return f;
    }
    shredWaiters.add(f);
    return f;
  }

  private void shred() {
    List<CompletableFuture<Void>> waiters = new ArrayList<>();
    CompletableFuture<Void> w;
    while ((w = shredWaiters.poll()) != null) {
      waiters.add(w);
    }
    if (!enter()) {
      waiters.forEach(f -> f.completeExceptionally(closedError("shred")));
      return;
    }
    long deletes = writer.deletesSinceShred.getAndSet(0);
    long queueDeletes = writer.queueDeletesSinceShred.getAndSet(0);
    try {
      if (deletes > 0 || queueDeletes > 0 || !waiters.isEmpty()) {
        engine.flushAll();
        engine.compactAll(Family.KEYS);
        if (queueDeletes > 0) {
          engine.compactAll(Family.IDS);
        }
      }
      waiters.forEach(f -> f.complete(null));
    } catch (RocksDBException ex) {
      writer.deletesSinceShred.addAndGet(deletes);
      writer.queueDeletesSinceShred.addAndGet(queueDeletes);
      MailboxException m = RocksEngine.failure("shred", ex);
      LOG.log(System.Logger.Level.WARNING, "mailbox shred failed: {0}", m.code());
      waiters.forEach(f -> f.completeExceptionally(m));
    } catch (RuntimeException ex) {
      // caught: an exception escaping a scheduled task would cancel every later shred run
      writer.deletesSinceShred.addAndGet(deletes);
      writer.queueDeletesSinceShred.addAndGet(queueDeletes);
      MailboxException m = errors.report("shred", ex);
      waiters.forEach(f -> f.completeExceptionally(m));
    } finally {
      exit();
    }
  }

  @Override
  public long internalErrors() {
    return errors.count();
  }

  /** Group commits (one WAL write each) so far: an aggregate for benchmarks and metrics. */
  public long groupsCommitted() {
    return writer.groupsCommitted();
  }

  // ---- test probes ----

  GroupCommitWriter writer() {
    return writer;
  }

  /** The at-rest storage key and ciphertext of a pending envelope, for the forensic test. */
  byte[][] atRest(QueueId queue, MessageId id) throws RocksDBException {
    byte[][] found = new byte[2][];
    engine.scan(
        Family.KEYS,
        KeyCodec.seqKey(queue, 1),
        KeyCodec.queueUpperBound(queue),
        false,
        (k, v) -> {
          if (!id.matches(v, KeyCodec.STORAGE_KEY_LENGTH)) {
            return true;
          }
          found[0] = Arrays.copyOf(v, KeyCodec.STORAGE_KEY_LENGTH);
          found[1] = engine.get(Family.MESSAGES, k);
          return false;
        });
    return found[0] == null ? null : found;
  }

  /** The storage key of a queue record, for the forensic test. */
  byte[] recordKey(QueueId queue) throws RocksDBException {
    return engine.get(Family.KEYS, KeyCodec.seqKey(queue, 0));
  }

  // ---- lifecycle ----

  @Override
  public void close() {
    if (writer.isOwnThread(Thread.currentThread())) {
      throw new IllegalStateException("close the mailbox store from outside its own threads");
    }
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (ScheduledFuture<?> t : tasks) {
      t.cancel(false);
    }
    if (ownsScheduler) {
      scheduler.shutdown();
    }
    writer.close(); // finishes every write already submitted
    guard.writeLock().lock(); // waits for reads and a running shred
    try {
      if (ownedReadPool != null) {
        ownedReadPool.shutdown();
        awaitQuietly(ownedReadPool);
      }
      if (ownsScheduler) {
        awaitQuietly(scheduler);
      }
      engine.close();
      crypto.close();
    } finally {
      guard.writeLock().unlock();
    }
    CompletableFuture<Void> w;
    while ((w = shredWaiters.poll()) != null) {
      w.completeExceptionally(closedError("shred"));
    }
  }

  private static void awaitQuietly(ExecutorService e) {
    try {
      if (!e.awaitTermination(30, TimeUnit.SECONDS)) {
        e.shutdownNow();
      }
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
    }
  }
}
