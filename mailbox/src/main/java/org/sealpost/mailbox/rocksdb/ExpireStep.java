package org.sealpost.mailbox.rocksdb;

import org.rocksdb.RocksDBException;
import org.sealpost.mailbox.ExpiryReport;
import org.sealpost.mailbox.MailboxException;
import org.sealpost.mailbox.QueueId;
import org.sealpost.mailbox.rocksdb.GroupCommitWriter.Group;
import org.sealpost.mailbox.rocksdb.RocksEngine.Family;

/**
 * One bounded step of an expiry sweep: walks the expiry index up to the current hour, so its cost
 * follows what expires, not the size of the store.
 */
final class ExpireStep extends WriteOp<ExpireStep.Result> {
  /** What one step deleted, and whether index entries were left for another step. */
  record Result(ExpiryReport report, boolean more) {}

  private final int budget;

  ExpireStep(int budget) {
    this.budget = budget;
  }

  @Override
  void committed(GroupCommitWriter w) {
    // expired envelopes are filtered out of cached tails by hour anyway; deleted queues are not
    w.pending.clear();
  }

  @Override
  boolean exclusive() {
    return true;
  }

  @Override
  String name() {
    return "expire";
  }

  @Override
  void apply(GroupCommitWriter w, Group g) throws RocksDBException {
    int hour = w.mutations().nowHour();
    long[] counts = new long[2]; // envelopes, queues
    int[] left = {budget};
    boolean more =
        walkIndex(
            w,
            g,
            KeyCodec.EXPIRY_ENVELOPES,
            hour,
            left,
            s -> counts[0] += w.mutations().deleteEnvelopes(s, hour, g));
    more |=
        walkIndex(
            w,
            g,
            KeyCodec.EXPIRY_IDLE,
            hour,
            left,
            s -> {
              if (s.lastActivityHour + w.mutations().idleHours() <= hour) {
                counts[0] += w.mutations().deleteQueue(s, g, name());
                counts[1]++;
              }
            });
    // issue 12: queues never secured, past their shorter TTL (an entry of a queue secured since,
    // or made under another TTL setting, is only removed)
    more |=
        walkIndex(
            w,
            g,
            KeyCodec.EXPIRY_UNSECURED,
            hour,
            left,
            s -> {
              byte[] plain = w.mutations().currentRecord(s, name());
              int unsecured = w.mutations().unsecuredHours();
              if (unsecured > 0
                  && RecordCodec.sendToken(plain) == null
                  && RecordCodec.createdHour(plain) + unsecured <= hour) {
                counts[0] += w.mutations().deleteQueue(s, g, name());
                counts[1]++;
              }
            });
    succeed(new Result(new ExpiryReport(counts[0], counts[1]), more));
  }

  private interface Expirer {
    void expire(QueueState s) throws RocksDBException;
  }

  /**
   * Visits index entries of {@code kind} up to {@code hour} while budget is left, then deletes each
   * entry (done, or stale: the queue moved on and has a later entry, or is gone). Returns whether
   * entries were left for another step.
   */
  private static boolean walkIndex(
      GroupCommitWriter w, Group g, byte kind, int hour, int[] left, Expirer expirer)
      throws RocksDBException {
    RocksEngine e = w.mutations().engine();
    boolean[] more = {false};
    e.scan(
        Family.EXPIRY,
        KeyCodec.expiryBound(kind, 0),
        KeyCodec.expiryBound(kind, hour + 1),
        false,
        (k, v) -> {
          if (left[0]-- <= 0) {
            more[0] = true;
            return false;
          }
          QueueState s = stateOrNull(w, KeyCodec.expiryQueue(k), g);
          if (s != null) {
            expirer.expire(s);
          }
          g.batch.delete(Family.EXPIRY, k);
          return true;
        });
    return more[0];
  }

  private static QueueState stateOrNull(GroupCommitWriter w, QueueId q, Group g)
      throws RocksDBException {
    try {
      return w.mutations().state(q, g, "expire");
    } catch (MailboxException ex) {
      if (ex.code() == MailboxException.Code.NOT_FOUND) {
        return null;
      }
      throw ex;
    }
  }
}
