package org.sealpost.mailbox.rocksdb;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.rocksdb.RocksDBException;
import org.sealpost.mailbox.MailboxConfig;
import org.sealpost.mailbox.MailboxException;
import org.sealpost.mailbox.MailboxStats;
import org.sealpost.mailbox.rocksdb.GroupCommitWriter.Group;

/**
 * The store's aggregate counters (queues, envelopes, envelope bytes; persisted with every group
 * under {@code stats} in the default family), the disk budget check, and the deletions the shredder
 * has not yet dealt with. Changed only on the writer thread; {@link #stats} and the shred counters
 * are safe from any thread.
 */
final class StoreTotals {
  static final byte[] META_STATS = "stats".getBytes(StandardCharsets.US_ASCII);
  private static final long DISK_REFRESH_NANOS = 100_000_000L;

  private final RocksEngine engine;
  private final MailboxConfig config;
  private long queues;
  private long envelopes;
  private long envelopeBytes;
  private long measuredDisk;
  private long appendedSinceMeasure;
  private long lastMeasureNanos;
  private volatile long[] published = new long[4];
  private final long diskBudget;

  /** Deletions committed since the shredder last ran (1 at open: the first run always works). */
  final AtomicLong deletesSinceShred = new AtomicLong(1);

  final AtomicLong queueDeletesSinceShred = new AtomicLong(1);

  /**
   * @param stats queues, envelopes and envelope bytes as stored at open
   */
  StoreTotals(RocksEngine engine, MailboxConfig config, long[] stats) {
    this.engine = engine;
    this.config = config;
    this.queues = stats[0];
    this.envelopes = stats[1];
    this.envelopeBytes = stats[2];
    this.lastMeasureNanos = System.nanoTime() - DISK_REFRESH_NANOS;
    this.diskBudget = budget(engine, config);
    publish();
  }

  /** The configured budget, or for {@link MailboxConfig#DISK_BUDGET_AUTO} half the free space. */
  private static long budget(RocksEngine engine, MailboxConfig config) {
    if (config.diskBudgetBytes() != MailboxConfig.DISK_BUDGET_AUTO) {
      return config.diskBudgetBytes();
    }
    try {
      // issue 12: statvfs directly; Files.getFileStore also looks the mount point up in
      // /proc/mounts, which fails in a chroot (DebInstallIT) and left the relay unable to start
      long free = config.dataDir().toFile().getUsableSpace();
      return engine.diskBytes() + free / 2;
    } catch (RocksDBException e) {
      throw new MailboxException(MailboxException.OpenFailure.IO_ERROR);
    }
  }

  /** The disk budget in force (bytes). */
  long diskBudget() {
    return diskBudget;
  }

  /** Queues in the store, as committed. */
  long queues() {
    return queues;
  }

  /** The {@code stats} value as it will be once {@code g} is committed. */
  byte[] encodeWith(Group g) {
    byte[] s = new byte[24];
    KeyCodec.putLong(s, 0, queues + g.queuesDelta);
    KeyCodec.putLong(s, 8, envelopes + g.envelopesDelta);
    KeyCodec.putLong(s, 16, envelopeBytes + g.bytesDelta);
    return s;
  }

  /** Adds a committed group's changes. */
  void committed(Group g) {
    queues += g.queuesDelta;
    envelopes += g.envelopesDelta;
    envelopeBytes += g.bytesDelta;
    appendedSinceMeasure += Math.max(0, g.appendedBytes);
    if (g.deletes > 0) {
      deletesSinceShred.addAndGet(g.deletes);
    }
    if (g.queueDeletes > 0) {
      queueDeletesSinceShred.addAndGet(g.queueDeletes);
    }
    publish();
  }

  private void publish() {
    long disk = measuredDisk + appendedSinceMeasure;
    published = new long[] {queues, envelopes, envelopeBytes, disk};
  }

  MailboxStats stats(long diskBytes) {
    long[] p = published;
    return new MailboxStats(p[0], p[1], p[2], diskBytes);
  }

  /** Whether the disk budget leaves room for {@code more} bytes (measured at most every 100 ms). */
  boolean diskRoomFor(long more) throws RocksDBException {
    if (diskBudget == Long.MAX_VALUE) {
      return true;
    }
    long now = System.nanoTime();
    if (now - lastMeasureNanos >= DISK_REFRESH_NANOS) {
      measuredDisk = engine.diskBytes();
      appendedSinceMeasure = 0;
      lastMeasureNanos = now;
    }
    return measuredDisk + appendedSinceMeasure + more <= diskBudget;
  }
}
