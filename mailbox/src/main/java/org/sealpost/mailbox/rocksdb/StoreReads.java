package org.sealpost.mailbox.rocksdb;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.rocksdb.RocksDBException;
import org.sealpost.mailbox.BalancedLookup;
import org.sealpost.mailbox.IdKind;
import org.sealpost.mailbox.MailboxConfig;
import org.sealpost.mailbox.MailboxException;
import org.sealpost.mailbox.MailboxStats;
import org.sealpost.mailbox.MessageId;
import org.sealpost.mailbox.QueueId;
import org.sealpost.mailbox.QueueRecord;
import org.sealpost.mailbox.QueueSecrets;
import org.sealpost.mailbox.StoredEnvelope;
import org.sealpost.mailbox.rocksdb.RocksEngine.Family;

/**
 * The store's reads: lookups by ID (with a miss costing what a hit costs), pending envelopes (from
 * the {@link PendingCache} when it has them, else from disk on the read pool), fullness and stats.
 * Each disk read is one task on the bounded read executor; a rejection is {@code OVERLOAD}.
 */
final class StoreReads {
  private final MailboxConfig config;
  private final RocksEngine engine;
  private final AtRestCrypto crypto;
  private final GroupCommitWriter writer;
  private final Executor readExecutor;
  private final StoreGate gate;
  private final InternalErrors errors;
  private final ActivityFilter activity = new ActivityFilter();
  private final QueueId dummyQueue;
  private final byte[] dummyKey;
  private final byte[] dummySealed;

  StoreReads(
      MailboxConfig config,
      RocksEngine engine,
      AtRestCrypto crypto,
      GroupCommitWriter writer,
      Executor readExecutor,
      StoreGate gate,
      InternalErrors errors,
      SecureRandom random) {
    this.config = config;
    this.engine = engine;
    this.crypto = crypto;
    this.writer = writer;
    this.readExecutor = readExecutor;
    this.gate = gate;
    this.errors = errors;
    byte[] q = new byte[QueueId.LENGTH];
    random.nextBytes(q);
    this.dummyQueue = QueueId.of(q);
    this.dummyKey = crypto.randomStorageKey();
    this.dummySealed =
        crypto.sealRecord(
            dummyKey,
            q,
            RecordCodec.encode(
                new byte[32],
                new byte[32],
                new QueueSecrets(new byte[32], new byte[32]),
                null,
                0,
                0));
  }

  public CompletionStage<Optional<QueueRecord>> findByRecipientId(byte[] recipientId) {
    return find(KeyCodec.ID_RECIPIENT, recipientId.clone());
  }

  public CompletionStage<Optional<QueueRecord>> findBySenderId(byte[] senderId) {
    return find(KeyCodec.ID_SENDER, senderId.clone());
  }

  private CompletionStage<Optional<QueueRecord>> find(byte kind, byte[] id) {
    return read("find queue", () -> findNow(kind, id));
  }

  public CompletionStage<BalancedLookup> lookupBalanced(IdKind kind, byte[] id, QueueId decoy) {
    Objects.requireNonNull(kind, "kind");
    byte[] own = id.clone();
    byte k = kind == IdKind.RECIPIENT ? KeyCodec.ID_RECIPIENT : KeyCodec.ID_SENDER;
    return read("find queue", () -> balancedNow(k, own, decoy));
  }

  /**
   * One seek, then one record read of a queue that exists. After a hit that is the queue found;
   * after a miss, the queue whose index entry the seek landed on — a real queue at a random place
   * in the index, so its record is as likely to be cached as a hit's — or the decoy when the seek
   * ran past the last entry. Reading the one decoy after every miss made misses measurably faster
   * than hits in AuthTimingIT (its record stays hot; a hit's may not).
   */
  private BalancedLookup balancedNow(byte kind, byte[] id, QueueId decoy) throws RocksDBException {
    RocksEngine.Landing at = engine.seek(Family.IDS, crypto.idIndexKey(kind, id));
    boolean landed = at != null && at.value().length == QueueId.LENGTH;
    boolean hit = landed && at.exact();
    QueueId read = landed ? QueueId.of(at.value()) : decoy;
    if (read == null) {
      dummyLookup();
      return new BalancedLookup(Optional.empty(), false);
    }
    QueueRecord record;
    try {
      record = RecordCodec.decode(read, writer.mutations().readRecord(read, "find queue"));
    } catch (MailboxException ex) {
      if (ex.code() != MailboxException.Code.NOT_FOUND) {
        throw ex;
      }
      // deleted between the two reads, or the decoy is gone: a dummy read keeps the cost
      dummyLookup();
      return new BalancedLookup(Optional.empty(), landed);
    }
    return new BalancedLookup(hit ? Optional.of(record) : Optional.empty(), true);
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
      return Optional.of(RecordCodec.decode(q, writer.mutations().readRecord(q, "find queue")));
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

  public CompletionStage<Boolean> isFull(QueueId queue) {
    Objects.requireNonNull(queue, "queue");
    return read(
        "queue fullness",
        () -> {
          if (engine.get(Family.KEYS, KeyCodec.seqKey(queue, 0)) == null) {
            throw QueueMutations.notFound("queue fullness");
          }
          // the same counters the writer's quota check keeps
          RocksEngine.QueueTally tally = engine.tally(queue);
          return tally.count() >= config.queueMessageQuota()
              || tally.bytes() + config.maxEnvelopeBytes() > config.queueByteQuota();
        });
  }

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
      int hour = writer.mutations().nowHour();
      List<StoredEnvelope> cached = pending.read(queue, from - 1, limit, hour);
      if (cached != null && !gate.isClosed()) {
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
            throw QueueMutations.notFound("read pending");
          }
          int hour = writer.mutations().nowHour();
          touchOncePerHour(queue, hour);
          List<StoredEnvelope> out = new ArrayList<>();
          List<Integer> expiresHours = new ArrayList<>();
          boolean[] expiredSkipped = {false};
          // an envelope whose key the scan saw may be acked before its value is read: it is then
          // skipped, and the scan goes on past it so that a short page still means "nothing more"
          // (a Get read with a page of one came back empty while envelopes were pending)
          long scanFrom = from;
          boolean scanFull;
          do {
            int want = limit - out.size();
            List<byte[][]> entries = new ArrayList<>();
            engine.scan(
                Family.KEYS,
                KeyCodec.seqKey(queue, scanFrom),
                KeyCodec.queueUpperBound(queue),
                false,
                (k, v) -> {
                  if (KeyCodec.expiresHourOf(v) > hour) {
                    entries.add(new byte[][] {k, v});
                  } else {
                    expiredSkipped[0] = true;
                  }
                  return entries.size() < want;
                });
            scanFull = entries.size() >= want;
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
              byte[] opened = crypto.openEnvelope(storageKey, envelopeAad(queue, id), ct);
              int length = KeyCodec.lengthOf(kv[1]);
              byte[] plain = EnvelopeCodec.envelope(opened, length);
              long notBefore = EnvelopeCodec.notBefore(opened, length);
              long seq = KeyCodec.seqOf(kv[0]);
              out.add(new StoredEnvelope(seq, id, plain, notBefore));
              expiresHours.add(KeyCodec.expiresHourOf(kv[1]));
            }
            if (!entries.isEmpty()) {
              scanFrom = KeyCodec.seqOf(entries.get(entries.size() - 1)[0]) + 1;
            }
          } while (scanFull && out.size() < limit);
          // a short page saw every pending envelope after `from`: the queue's tail, if unchanged
          if (pending.enabled() && out.size() < limit && !expiredSkipped[0]) {
            List<PendingCache.Entry> tail = new ArrayList<>(out.size());
            for (int i = 0; i < out.size(); i++) {
              StoredEnvelope e = out.get(i);
              tail.add(
                  new PendingCache.Entry(
                      e.position(),
                      e.messageId(),
                      e.envelope().clone(),
                      expiresHours.get(i),
                      e.notBefore()));
            }
            writer.submit(new Ops.InstallPending(queue, version, from - 1, tail));
          }
          return out;
        });
  }

  public CompletionStage<MailboxStats> stats() {
    return read("stats", () -> writer.totals().stats(engine.diskBytes()));
  }

  /** A read is recipient activity: moves the queue's last-activity hour, once an hour. */
  private void touchOncePerHour(QueueId queue, int hour) {
    if (activity.firstThisHour(queue, hour)) {
      writer.submit(new Ops.Touch(queue)); // best effort; a full queue only delays it
    }
  }

  static byte[] envelopeAad(QueueId queue, MessageId id) {
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
    if (gate.isClosed()) {
      return StoreGate.closedFuture(op);
    }
    CompletableFuture<T> f = new CompletableFuture<>();
    try {
      readExecutor.execute(
          () -> {
            if (!gate.enter()) {
              f.completeExceptionally(StoreGate.closedError(op));
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
              gate.exit();
            }
          });
    } catch (RejectedExecutionException ex) {
      f.completeExceptionally(
          new MailboxException(
              gate.isClosed() ? MailboxException.Code.CLOSED : MailboxException.Code.OVERLOAD,
              op + ": read pool full"));
    }
    return f;
  }
}
