package org.sealpost.mailbox.rocksdb;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import org.rocksdb.RocksDBException;
import org.sealpost.mailbox.MailboxConfig;
import org.sealpost.mailbox.MailboxException;
import org.sealpost.mailbox.QueueId;
import org.sealpost.mailbox.rocksdb.GroupCommitWriter.Group;
import org.sealpost.mailbox.rocksdb.RocksEngine.Family;

/**
 * The queue mutations the write ops are made of (read the record, rewrite it, delete envelopes or a
 * whole queue), adding their writes to a group's batch, and the active-queue cache they keep. Used
 * only on the writer thread, so it needs no locks; reads see committed data, and the group tracks
 * its own deletions.
 */
final class QueueMutations {
  private static final byte[] EMPTY = new byte[0];

  private final RocksEngine engine;
  final AtRestCrypto crypto;
  final MailboxConfig config;
  private final Clock clock;
  private final LinkedHashMap<QueueId, QueueState> cache = new LinkedHashMap<>(1024, 0.75f, true);
  private long floorSeq;

  QueueMutations(
      RocksEngine engine, AtRestCrypto crypto, MailboxConfig config, Clock clock, long epoch) {
    this.engine = engine;
    this.crypto = crypto;
    this.config = config;
    this.clock = clock;
    this.floorSeq = epoch << 40;
  }

  RocksEngine engine() {
    return engine;
  }

  int nowHour() {
    return (int) Math.floorDiv(clock.millis(), 3_600_000L);
  }

  /** The state of an existing queue, loaded on a cache miss; NOT_FOUND if it does not exist. */
  QueueState state(QueueId q, Group g, String op) throws RocksDBException {
    QueueState s = cache.get(q);
    if (s == null) {
      byte[] plain = readRecord(q, op);
      s = new QueueState(q);
      s.lastActivityHour = RecordCodec.lastActivityHour(plain);
      RocksEngine.QueueTally tally = engine.tally(q);
      s.count = tally.count();
      s.bytes = tally.bytes();
      long tail = tally.tailSeq();
      s.nextSeq = Math.max(tail + 1, floorSeq);
      s.noneBelow(tally.headSeq() != 0 ? tally.headSeq() : s.nextSeq);
      cache.put(q, s);
    } else if (s.deleted) {
      throw notFound(op);
    }
    g.touched.add(s);
    return s;
  }

  static MailboxException notFound(String op) {
    return new MailboxException(MailboxException.Code.NOT_FOUND, op + ": no such queue");
  }

  /** Decrypted record plaintext; NOT_FOUND if the queue is gone. */
  byte[] readRecord(QueueId q, String op) throws RocksDBException {
    byte[] sealed = engine.get(Family.QUEUES, KeyCodec.queueKey(q));
    if (sealed == null) {
      throw notFound(op);
    }
    byte[] storageKey = engine.get(Family.KEYS, KeyCodec.seqKey(q, 0));
    if (storageKey == null) {
      throw new MailboxException(MailboxException.Code.CORRUPT, op + ": record key missing");
    }
    byte[] plain = crypto.openRecord(storageKey, q.bytes(), sealed);
    RecordCodec.check(plain);
    return plain;
  }

  /** Current record plaintext, including changes made earlier in this group. */
  byte[] currentRecord(QueueState s, String op) throws RocksDBException {
    return s.pendingRecord != null ? s.pendingRecord : readRecord(s.id, op);
  }

  /** Rewrites the record; if the activity hour moved, moves its idle-expiry index entry too. */
  void writeRecord(QueueState s, byte[] oldPlain, byte[] newPlain, Group g)
      throws RocksDBException {
    byte[] storageKey = engine.get(Family.KEYS, KeyCodec.seqKey(s.id, 0));
    if (storageKey == null) {
      throw new MailboxException(MailboxException.Code.CORRUPT, "write queue record: key missing");
    }
    int oldHour = RecordCodec.lastActivityHour(oldPlain);
    int newHour = RecordCodec.lastActivityHour(newPlain);
    g.batch.put(
        Family.QUEUES,
        KeyCodec.queueKey(s.id),
        crypto.sealRecord(storageKey, s.id.bytes(), newPlain));
    if (oldHour != newHour) {
      g.batch.delete(
          Family.EXPIRY, KeyCodec.expiryKey(KeyCodec.EXPIRY_IDLE, oldHour + idleHours(), s.id));
      g.batch.put(
          Family.EXPIRY,
          KeyCodec.expiryKey(KeyCodec.EXPIRY_IDLE, newHour + idleHours(), s.id),
          EMPTY);
    }
    s.pendingRecord = newPlain;
    s.lastActivityHour = newHour;
    g.stateChanges++;
  }

  /** Records recipient activity (at most one record rewrite per queue and hour). */
  void touch(QueueState s, Group g, String op) throws RocksDBException {
    int now = nowHour();
    if (s.lastActivityHour < now) {
      byte[] plain = currentRecord(s, op);
      writeRecord(s, plain, RecordCodec.withLastActivity(plain, now), g);
    }
  }

  int ttlHours() {
    return (int) config.envelopeTtl().toHours();
  }

  int idleHours() {
    return (int) config.idleQueueTtl().toHours();
  }

  /** Issue 12: hours after creation at which a queue never secured is deleted; 0 = never. */
  int unsecuredHours() {
    return (int) config.unsecuredQueueTtl().toHours();
  }

  /** The unsecured-expiry index key of a queue created at {@code createdHour}. */
  byte[] unsecuredExpiryKey(int createdHour, QueueId q) {
    return KeyCodec.expiryKey(KeyCodec.EXPIRY_UNSECURED, createdHour + unsecuredHours(), q);
  }

  /**
   * Deletes every pending envelope of {@code s} whose expiry hour is at most {@code maxHour}
   * (Integer.MAX_VALUE: all of them), oldest first, stopping at the first younger one.
   */
  long deleteEnvelopes(QueueState s, int maxHour, Group g) throws RocksDBException {
    long[] n = {0};
    scanEnvelopes(
        s,
        (key, v) -> {
          if (g.deletedInGroup(key)) {
            return true;
          }
          if (KeyCodec.expiresHourOf(v) > maxHour) {
            return false;
          }
          deleteEnvelope(s, key, KeyCodec.lengthOf(v), g);
          n[0]++;
          return true;
        });
    return n[0];
  }

  /**
   * Visits the committed envelope keys of {@code s} oldest first, from its scan floor (never from
   * sequence 1, which walks the tombstone of every envelope delivered since the last flush of
   * {@code keys}), and raises the floor to the first key found: nothing committed lies between
   * them. An append of the group being built is not visible here, and lies above every committed
   * key.
   */
  void scanEnvelopes(QueueState s, RocksEngine.EntryVisitor visitor) throws RocksDBException {
    boolean[] first = {true};
    engine.scan(
        Family.KEYS,
        KeyCodec.seqKey(s.id, s.scanFrom),
        KeyCodec.queueUpperBound(s.id),
        false,
        (key, v) -> {
          if (first[0]) {
            first[0] = false;
            s.noneBelow(KeyCodec.seqOf(key));
          }
          return visitor.visit(key, v);
        });
  }

  /** One SingleDelete per family: the put and the delete cancel out in flush or compaction. */
  void deleteEnvelope(QueueState s, byte[] key, int length, Group g) throws RocksDBException {
    g.batch.singleDelete(Family.MESSAGES, key);
    g.batch.singleDelete(Family.KEYS, key);
    g.markDeleted(key);
    s.deletedSeq(KeyCodec.seqOf(key));
    g.stateChanges++;
    s.forget(KeyCodec.seqOf(key));
    s.count--;
    s.bytes -= length;
    g.envelopesDelta--;
    g.bytesDelta -= length;
    g.deletes++;
  }

  /** Deletes the whole queue: envelopes, record, its key, both IDs and its idle index entry. */
  long deleteQueue(QueueState s, Group g, String op) throws RocksDBException {
    byte[] plain = currentRecord(s, op);
    long n = deleteEnvelopes(s, Integer.MAX_VALUE, g);
    g.batch.singleDelete(Family.KEYS, KeyCodec.seqKey(s.id, 0));
    g.batch.delete(Family.QUEUES, KeyCodec.queueKey(s.id));
    g.batch.delete(
        Family.IDS, crypto.idIndexKey(KeyCodec.ID_RECIPIENT, RecordCodec.recipientId(plain)));
    g.batch.delete(Family.IDS, crypto.idIndexKey(KeyCodec.ID_SENDER, RecordCodec.senderId(plain)));
    g.batch.delete(
        Family.EXPIRY,
        KeyCodec.expiryKey(
            KeyCodec.EXPIRY_IDLE, RecordCodec.lastActivityHour(plain) + idleHours(), s.id));
    if (unsecuredHours() > 0 && RecordCodec.sendToken(plain) == null) {
      g.batch.delete(Family.EXPIRY, unsecuredExpiryKey(RecordCodec.createdHour(plain), s.id));
    }
    s.deleted = true;
    g.stateChanges++;
    g.queuesDelta--;
    g.deletes++;
    g.queueDeletes++;
    return n;
  }

  /**
   * After a commit: drops uncommitted record copies, and the state of deleted or muddled queues.
   */
  void committed(Group g) {
    for (QueueState s : g.touched) {
      s.pendingRecord = null;
      if (s.deleted || g.failedOps) {
        evict(s);
      }
    }
    trimCache();
  }

  /**
   * Forgets these queues' in-memory state (it may hold uncommitted changes): the disk is the truth.
   */
  void forget(Collection<QueueState> states) {
    for (QueueState s : states) {
      evict(s);
    }
  }

  /**
   * The scan floor of a queue whose state is cached, or -1 (for tests, read while the writer is
   * idle).
   */
  long scanFromOf(QueueId q) {
    QueueState s = cache.get(q);
    return s == null ? -1 : s.scanFrom;
  }

  /** Forgets every queue's in-memory state. */
  void forgetAll() {
    forget(new ArrayList<>(cache.values()));
  }

  private void evict(QueueState s) {
    if (cache.get(s.id) == s) {
      cache.remove(s.id);
    }
    // sequence numbers never go back, even for a queue reloaded after eviction
    floorSeq = Math.max(floorSeq, s.nextSeq);
  }

  private void trimCache() {
    Iterator<QueueState> it = cache.values().iterator();
    while (cache.size() > config.activeQueueCacheSize() && it.hasNext()) {
      QueueState s = it.next();
      floorSeq = Math.max(floorSeq, s.nextSeq);
      it.remove();
    }
  }
}
