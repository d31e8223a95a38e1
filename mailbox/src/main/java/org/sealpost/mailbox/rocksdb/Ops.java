package org.sealpost.mailbox.rocksdb;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.List;
import java.util.function.Consumer;
import org.rocksdb.RocksDBException;
import org.sealpost.mailbox.Appended;
import org.sealpost.mailbox.IdGenerator;
import org.sealpost.mailbox.MailboxException;
import org.sealpost.mailbox.MessageId;
import org.sealpost.mailbox.QueueId;
import org.sealpost.mailbox.QueueRecord;
import org.sealpost.mailbox.QueueSecrets;
import org.sealpost.mailbox.StoredEnvelope;
import org.sealpost.mailbox.rocksdb.GroupCommitWriter.Group;
import org.sealpost.mailbox.rocksdb.RocksEngine.Family;

/** The write operations. Each reads what it needs, then adds its writes to the group's batch. */
final class Ops {
  private static final byte[] EMPTY = new byte[0];

  private Ops() {}

  static final class Create extends WriteOp<QueueRecord> {
    private final QueueSecrets secrets;
    private final IdGenerator ids;

    Create(QueueSecrets secrets, IdGenerator ids) {
      this.secrets = secrets;
      this.ids = ids;
    }

    @Override
    String name() {
      return "create queue";
    }

    @Override
    void apply(GroupCommitWriter w, Group g) throws RocksDBException {
      RocksEngine e = w.mutations().engine();
      AtRestCrypto c = w.mutations().crypto;
      if (w.totals().queues() + g.queuesDelta >= w.mutations().config.maxQueues()) {
        throw new MailboxException(
            MailboxException.Code.DISK_BUDGET, name() + ": the store holds its maximum of queues");
      }
      for (int attempt = 0; attempt < 4; attempt++) {
        byte[] rid = ids.newRecipientId();
        byte[] sid = ids.newSenderId();
        if (rid.length != QueueRecord.ID_LENGTH || sid.length != QueueRecord.ID_LENGTH) {
          throw new MailboxException(MailboxException.Code.STORAGE, name() + ": bad id length");
        }
        byte[] rKey = c.idIndexKey(KeyCodec.ID_RECIPIENT, rid);
        byte[] sKey = c.idIndexKey(KeyCodec.ID_SENDER, sid);
        // both IDs in one MultiGet; `ids` has a bloom filter, so absent (fresh) IDs are cheap
        if (e.anyPresent(Family.IDS, rKey, sKey)
            || !g.newIds.add(ByteBuffer.wrap(rKey))
            || !g.newIds.add(ByteBuffer.wrap(sKey))) {
          continue; // a generator that repeats itself; try fresh IDs
        }
        byte[] qBytes = new byte[QueueId.LENGTH];
        c.randomBytes(qBytes);
        ids.tagQueueId(qBytes);
        QueueId q = QueueId.of(qBytes);
        int hour = w.mutations().nowHour();
        byte[] storageKey = c.randomStorageKey();
        byte[] plain = RecordCodec.encode(rid, sid, secrets, null, hour, hour);
        g.batch.put(Family.QUEUES, qBytes, c.sealRecord(storageKey, qBytes, plain));
        g.batch.put(Family.KEYS, KeyCodec.seqKey(q, 0), storageKey);
        g.batch.put(Family.IDS, rKey, qBytes);
        g.batch.put(Family.IDS, sKey, qBytes);
        g.batch.put(
            Family.EXPIRY,
            KeyCodec.expiryKey(KeyCodec.EXPIRY_IDLE, hour + w.mutations().idleHours(), q),
            EMPTY);
        if (w.mutations().unsecuredHours() > 0) {
          g.batch.put(Family.EXPIRY, w.mutations().unsecuredExpiryKey(hour, q), EMPTY);
        }
        g.queuesDelta++;
        succeed(RecordCodec.decode(q, plain));
        return;
      }
      throw new MailboxException(MailboxException.Code.STORAGE, name() + ": ids keep colliding");
    }
  }

  static final class Secure extends WriteOp<QueueRecord> {
    private final QueueId queue;
    private final byte[] token;

    Secure(QueueId queue, byte[] token) {
      this.queue = queue;
      this.token = token;
    }

    @Override
    String name() {
      return "secure queue";
    }

    @Override
    void apply(GroupCommitWriter w, Group g) throws RocksDBException {
      QueueState s = w.mutations().state(queue, g, name());
      byte[] plain = w.mutations().currentRecord(s, name());
      byte[] existing = RecordCodec.sendToken(plain);
      if (existing != null) {
        if (!MessageDigest.isEqual(existing, token)) {
          throw new MailboxException(
              MailboxException.Code.ALREADY_SECURED, name() + ": queue has another send token");
        }
        succeed(RecordCodec.decode(queue, plain));
        return;
      }
      byte[] updated =
          RecordCodec.withLastActivity(
              RecordCodec.withSendToken(plain, token), w.mutations().nowHour());
      w.mutations().writeRecord(s, plain, updated, g);
      if (w.mutations().unsecuredHours() > 0) {
        // secured now: it keeps to the idle expiry only
        g.batch.delete(
            Family.EXPIRY, w.mutations().unsecuredExpiryKey(RecordCodec.createdHour(plain), queue));
      }
      succeed(RecordCodec.decode(queue, updated));
    }
  }

  static final class Append extends WriteOp<Appended> {
    private final QueueId queue;
    private final MessageId id;
    private final byte[] storageKey;
    private final byte[] ciphertext;
    private final byte[] plaintext;
    private final long notBefore;
    private final Consumer<StoredEnvelope> onDurable;
    private long seq;
    private int expires;

    /**
     * @param plaintext the envelope as appended, for the {@link PendingCache}; not changed here
     */
    Append(
        QueueId queue,
        MessageId id,
        byte[] storageKey,
        byte[] ciphertext,
        byte[] plaintext,
        long notBefore,
        Consumer<StoredEnvelope> onDurable) {
      this.onDurable = onDurable;
      this.queue = queue;
      this.notBefore = notBefore;
      this.id = id;
      this.storageKey = storageKey;
      this.ciphertext = ciphertext;
      this.plaintext = plaintext;
    }

    @Override
    void committed(GroupCommitWriter w) {
      w.pending.appended(queue, seq, id, plaintext, expires, notBefore);
    }

    @Override
    void beforeSuccess() {
      if (onDurable != null) {
        onDurable.accept(new StoredEnvelope(seq, id, plaintext, notBefore));
      }
    }

    @Override
    String name() {
      return "append";
    }

    @Override
    void apply(GroupCommitWriter w, Group g) throws RocksDBException {
      int length = plaintext.length;
      QueueState s = w.mutations().state(queue, g, name());
      if (s.count + 1 > w.mutations().config.queueMessageQuota()) {
        throw new MailboxException(MailboxException.Code.QUOTA_MESSAGES, name() + ": queue full");
      }
      if (s.bytes + length > w.mutations().config.queueByteQuota()) {
        throw new MailboxException(MailboxException.Code.QUOTA_BYTES, name() + ": queue full");
      }
      if (!w.totals()
          .diskRoomFor(ciphertext.length + KeyCodec.KEY_VALUE_LENGTH + g.appendedBytes)) {
        throw new MailboxException(MailboxException.Code.DISK_BUDGET, name() + ": disk budget");
      }
      long seq = s.nextSeq;
      byte[] key = KeyCodec.seqKey(queue, seq);
      int expires = w.mutations().nowHour() + w.mutations().ttlHours();
      RocksEngine e = w.mutations().engine();
      g.batch.put(Family.MESSAGES, key, ciphertext);
      g.batch.put(Family.KEYS, key, KeyCodec.keyValue(storageKey, id, expires, length));
      if (s.indexedExpiryHour != expires) {
        g.batch.put(
            Family.EXPIRY, KeyCodec.expiryKey(KeyCodec.EXPIRY_ENVELOPES, expires, queue), EMPTY);
      }
      // state changes last: nothing below can fail
      s.indexedExpiryHour = expires;
      s.nextSeq = seq + 1;
      s.remember(seq, id, length);
      s.count++;
      s.bytes += length;
      g.envelopesDelta++;
      g.bytesDelta += length;
      g.appendedBytes += ciphertext.length + KeyCodec.KEY_VALUE_LENGTH;
      this.seq = seq;
      this.expires = expires;
      succeed(new Appended(id, seq));
    }
  }

  static final class Ack extends WriteOp<Boolean> {
    private final QueueId queue;
    private final MessageId id;

    private boolean deleted;

    Ack(QueueId queue, MessageId id) {
      this.queue = queue;
      this.id = id;
    }

    @Override
    void committed(GroupCommitWriter w) {
      if (deleted) {
        w.pending.acked(queue, id);
      }
    }

    @Override
    String name() {
      return "ack";
    }

    @Override
    void apply(GroupCommitWriter w, Group g) throws RocksDBException {
      QueueState s = w.mutations().state(queue, g, name());
      byte[] found = null;
      int length = 0;
      long recent = s.recentSeqOf(id);
      if (recent != 0) {
        byte[] key = KeyCodec.seqKey(queue, recent);
        if (!g.deletedInGroup(key)) {
          w.mutations().deleteEnvelope(s, key, s.recentLengthOf(recent), g);
          w.mutations().touch(s, g, name());
          deleted = true;
          succeed(true);
          return;
        }
      }
      // acks come in FIFO order, so the match is almost always the first entry
      byte[][] match = new byte[2][];
      w.mutations()
          .scanEnvelopes(
              s,
              (key, v) -> {
                if (!id.matches(v, KeyCodec.STORAGE_KEY_LENGTH)) {
                  return true;
                }
                if (!g.deletedInGroup(key)) {
                  match[0] = key;
                  match[1] = v;
                }
                return false;
              });
      if (match[0] != null) {
        found = match[0];
        length = KeyCodec.lengthOf(match[1]);
      }
      if (found != null) {
        w.mutations().deleteEnvelope(s, found, length, g);
      }
      w.mutations().touch(s, g, name());
      deleted = found != null;
      succeed(found != null);
    }
  }

  static final class DeleteQueue extends WriteOp<Void> {
    private final QueueId queue;

    DeleteQueue(QueueId queue) {
      this.queue = queue;
    }

    @Override
    boolean exclusive() {
      return true;
    }

    @Override
    String name() {
      return "delete queue";
    }

    @Override
    void apply(GroupCommitWriter w, Group g) throws RocksDBException {
      w.mutations().deleteQueue(w.mutations().state(queue, g, name()), g, name());
      succeed(null);
    }

    @Override
    void committed(GroupCommitWriter w) {
      w.pending.dropped(queue);
    }
  }

  /** Recipient activity seen by a read: moves the queue's last-activity hour. */
  static final class Touch extends WriteOp<Void> {
    private final QueueId queue;

    Touch(QueueId queue) {
      this.queue = queue;
    }

    @Override
    String name() {
      return "touch";
    }

    @Override
    void apply(GroupCommitWriter w, Group g) throws RocksDBException {
      w.mutations().touch(w.mutations().state(queue, g, name()), g, name());
      succeed(null);
    }
  }

  /** Installs the result of a short disk read into the {@link PendingCache}; writes nothing. */
  static final class InstallPending extends WriteOp<Boolean> {
    private final QueueId queue;
    private final long version;
    private final long after;
    private final List<PendingCache.Entry> entries;

    InstallPending(QueueId queue, long version, long after, List<PendingCache.Entry> entries) {
      this.queue = queue;
      this.version = version;
      this.after = after;
      this.entries = entries;
    }

    @Override
    String name() {
      return "cache pending";
    }

    @Override
    void apply(GroupCommitWriter w, Group g) {
      succeed(true);
    }

    @Override
    void committed(GroupCommitWriter w) {
      w.pending.install(queue, version, after, entries);
    }
  }
}
