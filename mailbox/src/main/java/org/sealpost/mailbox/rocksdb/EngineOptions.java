package org.sealpost.mailbox.rocksdb;

import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Cache;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.InfoLogLevel;
import org.sealpost.mailbox.MailboxConfig;

/**
 * The tuning of the database and of each column family. Every native object made here is handed to
 * the {@link RocksEngine} that owns it (through {@link Owner}), which closes it.
 */
final class EngineOptions {
  private EngineOptions() {}

  /** Takes ownership of a native object (it is closed with the engine). */
  interface Owner {
    <T extends AutoCloseable> T own(T t);
  }

  /** Sets the database options on {@code options}; {@code create} only for a new directory. */
  static DBOptions dbOptions(DBOptions options, boolean create) {
    return options
        .setCreateIfMissing(create)
        .setCreateMissingColumnFamilies(create)
        .setErrorIfExists(create)
        .setParanoidChecks(true)
        // LOG holds only warnings and errors (plus RocksDB's option header): no user data.
        .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
        .setKeepLogFileNum(2)
        .setMaxLogFileSize(1L << 20)
        .setStatsDumpPeriodSec(0)
        .setStatsPersistPeriodSec(0)
        // deleted means gone: WALs are deleted right after flush, never archived or recycled
        .setRecycleLogFileNum(0)
        .setWalTtlSeconds(0)
        .setWalSizeLimitMB(0)
        .setMaxTotalWalSize(64L << 20)
        .setMaxBackgroundJobs(2)
        .setBytesPerSync(1L << 20);
  }

  static ColumnFamilyOptions familyOptions(
      String name, MailboxConfig config, Cache cache, Owner own) {
    boolean big = name.equals(RocksEngine.MESSAGES);
    BlockBasedTableConfig table =
        new BlockBasedTableConfig()
            .setBlockCache(cache)
            .setCacheIndexAndFilterBlocks(true)
            .setBlockSize(big ? 16 * 1024 : 4 * 1024);
    if (name.equals(RocksEngine.IDS)) {
      // Only `ids` has a bloom filter: creating a queue point-reads two fresh (absent) IDs, which
      // without a filter costs a data-block read in every level. Lookups by ID never use it
      // (seekExact: a seek reads every level whether the key is there or not), so a
      // missing ID still costs what a present one costs. `queues` and `keys` have no filter: a
      // miss reads absent keys there to match a hit. Filter blocks live in the block cache,
      // pinned for L0 like its index blocks, so memory stays within the cache's bound.
      table
          .setFilterPolicy(own.own(new BloomFilter(10, false)))
          .setWholeKeyFiltering(true)
          .setPinL0FilterAndIndexBlocksInCache(true);
    }
    long buffer =
        switch (name) {
          case RocksEngine.MESSAGES -> config.messagesWriteBufferBytes();
          case "default", RocksEngine.EXPIRY -> 1L << 20;
          default -> 4L << 20;
        };
    ColumnFamilyOptions options = own.own(new ColumnFamilyOptions());
    if (name.equals(RocksEngine.IDS)) {
      // the same for the memtables (about 16 bits per key of a full memtable), also Get-only
      options.setMemtableWholeKeyFiltering(true).setMemtablePrefixBloomSizeRatio(0.02);
    }
    return options
        .setTableFormatConfig(table)
        // ciphertext, random keys and HMACs do not compress
        .setCompressionType(CompressionType.NO_COMPRESSION)
        .setWriteBufferSize(buffer)
        .setMaxWriteBufferNumber(3)
        .setTargetFileSizeBase(big ? 64L << 20 : 4L << 20)
        .setMaxBytesForLevelBase(big ? 256L << 20 : 32L << 20);
  }
}
