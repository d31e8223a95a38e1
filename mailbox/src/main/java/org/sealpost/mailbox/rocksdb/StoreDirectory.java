package org.sealpost.mailbox.rocksdb;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;
import org.rocksdb.RocksDBException;
import org.sealpost.mailbox.MailboxConfig;
import org.sealpost.mailbox.MailboxException;
import org.sealpost.mailbox.MailboxException.OpenFailure;
import org.sealpost.mailbox.MailboxStore;
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
  // issue 10: format 2 keeps a not-before time inside each sealed envelope (EnvelopeCodec); a
  // format-1 store is read as it is and marked 2 at open, so an older relay refuses it
  private static final byte[] FORMAT =
      ("sealpost-mailbox/" + MailboxStore.FORMAT).getBytes(StandardCharsets.US_ASCII);
  private static final byte[] FORMAT_1 = "sealpost-mailbox/1".getBytes(StandardCharsets.US_ASCII);

  private static final Set<PosixFilePermission> OWNER =
      EnumSet.of(
          PosixFilePermission.OWNER_READ,
          PosixFilePermission.OWNER_WRITE,
          PosixFilePermission.OWNER_EXECUTE);

  private StoreDirectory() {}

  /** An open store's engine and keys, and what its metadata said. */
  record Opened(RocksEngine engine, AtRestCrypto crypto, long epoch, long[] stats) {}

  /**
   * Opens (creating if new and allowed) the store of {@code config}; the caller owns what it
   * returns. Every check that can fail runs before the database is opened for writing, so a refused
   * start leaves the directory as it was; the failure names its {@link OpenFailure}.
   */
  static Opened open(MailboxConfig config, SecureRandom random) {
    Path dir = config.dataDir();
    Path keyFile = config.masterKeyFile();
    Path creating = creatingDir(dir);
    boolean existing = inspect(dir);
    boolean keyExists = Files.exists(keyFile);
    if (existing) {
      requireWritable(dir, Files.isWritable(dir));
      if (!keyExists) {
        throw new MailboxException(OpenFailure.KEY_MISSING);
      }
    } else if (keyExists && !Files.isDirectory(creating)) {
      // a key without its store: the store was deleted or moved, not a first start
      throw new MailboxException(OpenFailure.STORE_MISSING);
    } else if (!config.createIfMissing()) {
      throw new MailboxException(OpenFailure.NOT_INITIALISED);
    }
    byte[] master;
    if (keyExists) {
      master = MasterKeyFile.read(keyFile);
    } else {
      // the creation marker first: a key with a `.creating` sibling is a creation to resume
      clearDirectory(creating);
      master = MasterKeyFile.create(keyFile, random);
    }
    AtRestCrypto c = new AtRestCrypto(master, random);
    Arrays.fill(master, (byte) 0);
    RocksEngine e = null;
    try {
      if (existing) {
        verifyReadOnly(config, c);
        // only a store found to be ours (format and key checked) has its modes changed
        restrictToOwner(dir);
        restrictToOwner(keyFile);
      } else {
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

  /** Refuses a data directory that cannot be written (its own check: RocksDB would say less). */
  static void requireWritable(Path dir, boolean writable) {
    if (!writable) {
      throw new MailboxException(OpenFailure.NOT_WRITABLE);
    }
  }

  static Path creatingDir(Path dir) {
    return dir.resolveSibling(dir.getFileName() + ".creating");
  }

  /**
   * Checks format and master key with the database opened read-only, which writes nothing: a wrong
   * key is refused before RocksDB replays the WAL into new files.
   */
  private static void verifyReadOnly(MailboxConfig config, AtRestCrypto c) {
    try (RocksEngine ro = RocksEngine.openReadOnly(config, config.dataDir())) {
      checkFormatAndKey(ro, c);
    } catch (RocksDBException ex) {
      throw new MailboxException(RocksEngine.openFailure(ex));
    }
  }

  private static void checkFormatAndKey(RocksEngine e, AtRestCrypto c) throws RocksDBException {
    byte[] format = e.get(Family.META, META_FORMAT);
    if (!RocksEngine.sameBytes(format, FORMAT) && !RocksEngine.sameBytes(format, FORMAT_1)) {
      throw new MailboxException(newer(format) ? OpenFailure.NEWER_FORMAT : OpenFailure.FOREIGN);
    }
    if (!RocksEngine.sameBytes(e.get(Family.META, META_CHECK), c.checkValue())) {
      throw new MailboxException(OpenFailure.KEY_WRONG);
    }
  }

  /** issue 12: {@code sealpost-mailbox/N} with N above the format this code writes. */
  static boolean newer(byte[] format) {
    String prefix = "sealpost-mailbox/";
    String f = format == null ? "" : new String(format, StandardCharsets.US_ASCII);
    if (!f.startsWith(prefix) || !f.substring(prefix.length()).matches("[0-9]{1,9}")) {
      return false;
    }
    return Integer.parseInt(f.substring(prefix.length())) > MailboxStore.FORMAT;
  }

  /** True if {@code dir} holds a database; a non-empty directory without one is foreign. */
  private static boolean inspect(Path dir) {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new MailboxException(OpenFailure.NOT_A_DIRECTORY);
    }
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> s = Files.list(dir)) {
      if (s.findAny().isEmpty()) {
        return false;
      }
    } catch (IOException ex) {
      throw new MailboxException(OpenFailure.IO_ERROR);
    }
    if (!Files.isRegularFile(dir.resolve("CURRENT"))) {
      throw new MailboxException(OpenFailure.FOREIGN);
    }
    return true;
  }

  /**
   * Creates the database in the sibling {@code <dir>.creating} and renames it into place once its
   * metadata is written, so a crash during creation never leaves a half-made data directory. On
   * failure the sibling is emptied but kept: with the key beside it, the next start resumes.
   */
  private static void createAtomically(MailboxConfig config, AtRestCrypto c) {
    Path dir = config.dataDir();
    Path tmp = creatingDir(dir);
    try {
      clearDirectory(tmp);
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
    } catch (AccessDeniedException ex) {
      throw new MailboxException(OpenFailure.NOT_WRITABLE);
    } catch (IOException ex) {
      clearQuietly(tmp);
      throw new MailboxException(OpenFailure.IO_ERROR);
    } catch (RuntimeException ex) {
      clearQuietly(tmp);
      throw ex;
    }
  }

  /**
   * Takes group's and others' permissions off {@code path}, the owner's left as they are. RocksDB
   * creates its files with the process's umask (0644 under the usual 022), so the directory is what
   * keeps them to the store's owner; a store an earlier build created 0755 is restricted at its
   * next open. Best effort: a path this user cannot change is left as it is.
   */
  static void restrictToOwner(Path path) {
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path);
      if (perms.retainAll(OWNER)) {
        Files.setPosixFilePermissions(path, perms);
      }
    } catch (IOException | UnsupportedOperationException ex) {
      // not ours to change, or no POSIX modes here: nothing to restrict
    }
  }

  /** {@link #emptyPrivate}, failing as an open failure. */
  private static void clearDirectory(Path dir) {
    try {
      emptyPrivate(dir);
    } catch (AccessDeniedException ex) {
      throw new MailboxException(OpenFailure.NOT_WRITABLE);
    } catch (IOException ex) {
      throw new MailboxException(OpenFailure.IO_ERROR);
    }
  }

  private static void clearQuietly(Path dir) {
    try {
      emptyPrivate(dir);
    } catch (IOException ignored) {
      // best effort; the next start clears it again
    }
  }

  /** Makes {@code dir} an empty directory of its owner's alone (creating its parents if needed). */
  private static void emptyPrivate(Path dir) throws IOException {
    deleteTree(dir);
    Files.createDirectories(dir);
    restrictToOwner(dir);
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

  private static long initMeta(RocksEngine e, AtRestCrypto c, boolean existing, long[] stats) {
    try (RocksEngine.Batch batch = e.newBatch()) {
      long epoch;
      if (existing) {
        checkFormatAndKey(e, c);
        byte[] ep = e.get(Family.META, META_EPOCH);
        byte[] st = e.get(Family.META, StoreTotals.META_STATS);
        if (ep == null || ep.length != 8 || st == null || st.length != 24) {
          throw new MailboxException(OpenFailure.DAMAGED);
        }
        epoch = KeyCodec.getLong(ep, 0) + 1;
        batch.put(Family.META, META_FORMAT, FORMAT);
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
        throw new MailboxException(OpenFailure.EPOCHS_EXHAUSTED);
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
