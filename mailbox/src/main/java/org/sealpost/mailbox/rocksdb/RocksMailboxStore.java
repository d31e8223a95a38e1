package org.sealpost.mailbox.rocksdb;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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
  private static final int EXPIRE_STEP_BUDGET = 512;

  private final MailboxConfig config;
  private final IdGenerator ids;
  private final RocksEngine engine;
  private final AtRestCrypto crypto;
  private final GroupCommitWriter writer;
  private final StoreReads reads;
  private final Shredder shredder;
  private final StoreThreads threads;
  private final List<ScheduledFuture<?>> tasks = new ArrayList<>();
  private final StoreGate gate = new StoreGate();
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
    this.ids = ids;
    StoreDirectory.Opened opened = StoreDirectory.open(config, random);
    RocksEngine e = opened.engine();
    AtRestCrypto c = opened.crypto();
    StoreThreads threads = null;
    try {
      this.engine = e;
      this.crypto = c;
      this.writer =
          new GroupCommitWriter(
              e,
              c,
              config,
              o.clock,
              opened.epoch(),
              opened.stats(),
              errors,
              StoreThreads.daemons("sealpost-mailbox-writer-"));
      threads = new StoreThreads(config, readExecutor, scheduler);
      this.threads = threads;
      this.reads =
          new StoreReads(config, e, c, writer, threads.readExecutor(), gate, errors, random);
      this.shredder = new Shredder(e, writer.totals(), gate, errors);
      writer.start();
      long shredMillis = Math.max(50, config.shredWindow().toMillis() / 2);
      tasks.add(
          threads
              .scheduler()
              .scheduleWithFixedDelay(
                  shredder::run, shredMillis, shredMillis, TimeUnit.MILLISECONDS));
      long sweepMillis = config.sweepInterval().toMillis();
      tasks.add(
          threads
              .scheduler()
              .scheduleWithFixedDelay(
                  this::scheduledSweep, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS));
    } catch (RuntimeException ex) {
      if (threads != null) {
        threads.shutdown(true);
      }
      e.close();
      c.close();
      throw ex;
    }
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
  public CompletionStage<Appended> append(QueueId queue, byte[] envelope, long notBefore) {
    return append(queue, envelope, notBefore, null);
  }

  @Override
  public CompletionStage<Appended> append(
      QueueId queue, byte[] envelope, long notBefore, Consumer<StoredEnvelope> onDurable) {
    Objects.requireNonNull(queue, "queue");
    if (envelope.length == 0 || envelope.length > config.maxEnvelopeBytes()) {
      return CompletableFuture.failedFuture(
          new MailboxException(MailboxException.Code.ENVELOPE_SIZE, "append: envelope size"));
    }
    if (gate.isClosed()) {
      return StoreGate.closedFuture("append");
    }
    // encrypt on the caller's thread: the writer thread only batches and syncs
    byte[] id = new byte[MessageId.LENGTH];
    crypto.randomBytes(id);
    MessageId messageId = MessageId.of(id);
    byte[] storageKey = crypto.randomStorageKey();
    byte[] ct =
        crypto.sealEnvelope(
            storageKey,
            StoreReads.envelopeAad(queue, messageId),
            EnvelopeCodec.wrap(notBefore, envelope));
    return writer.submit(
        new Ops.Append(queue, messageId, storageKey, ct, envelope, notBefore, onDurable));
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
        .submit(new ExpireStep(EXPIRE_STEP_BUDGET))
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
              if (ex != null && !gate.isClosed()) {
                LOG.log(
                    System.Logger.Level.WARNING, "mailbox expiry sweep failed: {0}", codeOf(ex));
              }
            });
  }

  // ---- reads ----

  @Override
  public CompletionStage<Optional<QueueRecord>> findByRecipientId(byte[] recipientId) {
    return reads.findByRecipientId(recipientId);
  }

  @Override
  public CompletionStage<Optional<QueueRecord>> findBySenderId(byte[] senderId) {
    return reads.findBySenderId(senderId);
  }

  @Override
  public CompletionStage<BalancedLookup> lookupBalanced(IdKind kind, byte[] id, QueueId decoy) {
    return reads.lookupBalanced(kind, id, decoy);
  }

  @Override
  public CompletionStage<Boolean> isFull(QueueId queue) {
    return reads.isFull(queue);
  }

  @Override
  public CompletionStage<List<StoredEnvelope>> readPending(
      QueueId queue, long afterPosition, int maxCount) {
    return reads.readPending(queue, afterPosition, maxCount);
  }

  @Override
  public CompletionStage<MailboxStats> stats() {
    return reads.stats();
  }

  private static String codeOf(Throwable t) {
    Throwable c = t instanceof java.util.concurrent.CompletionException ? t.getCause() : t;
    return c instanceof MailboxException m ? m.code().name() : c.getClass().getSimpleName();
  }

  /**
   * Completes at the end of the next shred run that starts after this call (flush of every family,
   * so old WALs are deleted, then a full compaction of the {@code keys} family). For tests and
   * operators; the schedule does not depend on it.
   */
  public CompletionStage<Void> nextShredCompletion() {
    return shredder.nextShredCompletion();
  }

  // issue 12: online backup
  @Override
  public void checkpoint(java.nio.file.Path target) {
    if (!gate.enter()) {
      throw new MailboxException(MailboxException.Code.CLOSED, "checkpoint: the store is closed");
    }
    try {
      engine.checkpoint(target);
    } catch (RocksDBException e) {
      throw new MailboxException(
          MailboxException.Code.STORAGE,
          "checkpoint failed: "
              + (e.getStatus() == null ? "I/O error" : e.getStatus().getCodeString()),
          e);
    } finally {
      gate.exit();
    }
  }

  @Override
  public void observeCommits(java.util.function.LongConsumer syncNanos) {
    writer.observeCommits(syncNanos);
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
    if (!gate.markClosed()) {
      return;
    }
    for (ScheduledFuture<?> t : tasks) {
      t.cancel(false);
    }
    threads.stopScheduling();
    writer.close(); // finishes every write already submitted
    // waits for reads and a running shred, then releases the native objects
    gate.drainAndRun(
        () -> {
          threads.shutdown(false);
          engine.close();
          crypto.close();
        });
    shredder.closed();
  }
}
