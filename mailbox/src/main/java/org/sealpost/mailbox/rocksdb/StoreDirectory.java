package org.sealpost.mailbox.rocksdb;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;
import org.rocksdb.RocksDBException;
import org.sealpost.mailbox.MailboxConfig;
import org.sealpost.mailbox.MailboxException;
import org.sealpost.mailbox.rocksdb.RocksEngine.Family;

/**
 * Opening the data directory: decides whether it is new, ours, or foreign; reads or creates the
 * master key; creates a new database atomically; checks and bumps the metadata (format, key check,
 * epoch, counters). Whatever it opened is closed again when it fails.
 */
final class StoreDirectory {
  private static final byte[] META_FORMAT = "format".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] META_CHECK = "check".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] META_EPOCH = "epoch".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] FORMAT = "sealpost-mailbox/1".getBytes(StandardCharsets.US_ASCII);

  private StoreDirectory() {}

  /** An open store's engine and keys, and what its metadata said. */
  record Opened(RocksEngine engine, AtRestCrypto crypto, long epoch, long[] stats) {}

  /** Opens (creating if new) the store of {@code config}; the caller owns what it returns. */
  static Opened open(MailboxConfig config, SecureRandom random) {
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
    try {
      if (!existing) {
        createAtomically(config, c);
      }
      e = RocksEngine.open(config, dir, false);
      long[] stats = new long[3];
      long epoch = initMeta(e, c, true, stats);
      return new Opened(e, c, epoch, stats);
    } catch (RuntimeException ex) {
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
        byte[] st = e.get(Family.META, StoreTotals.META_STATS);
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
        batch.put(Family.META, StoreTotals.META_STATS, new byte[24]);
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
}
