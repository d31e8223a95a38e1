package org.sealpost.mailbox;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/** Settings of a mailbox store. Build with {@link #builder(Path, Path)}; every value is checked. */
public final class MailboxConfig {
  /** Envelope size E at the default block size B = 16359: B - 512. */
  public static final int DEFAULT_MAX_ENVELOPE_BYTES = 15847;

  /** {@link #diskBudgetBytes()}: half the free space of the filesystem at open. */
  public static final long DISK_BUDGET_AUTO = 0;

  /** Default {@link #maxQueues()}: twice the design's target for one node (a million). */
  public static final long DEFAULT_MAX_QUEUES = 2_000_000;

  private final Path dataDir;
  private final Path masterKeyFile;
  private final SyncPolicy syncPolicy;
  private final int maxEnvelopeBytes;
  private final int queueMessageQuota;
  private final long queueByteQuota;
  private final long diskBudgetBytes;
  private final Duration envelopeTtl;
  private final Duration idleQueueTtl;
  // issue 12: queues never secured expire sooner (abuse control); zero = like any other queue
  private final Duration unsecuredQueueTtl;
  private final Duration shredWindow;
  private final Duration sweepInterval;
  private final int submissionQueueCapacity;
  private final int maxGroupSize;
  private final int readThreads;
  private final int readQueueCapacity;
  private final int maxPageSize;
  private final int activeQueueCacheSize;
  private final long blockCacheBytes;
  private final long messagesWriteBufferBytes;
  private final long pendingCacheBytes;
  private final boolean createIfMissing;
  private final long maxQueues;

  private MailboxConfig(Builder b) {
    this.dataDir = b.dataDir.toAbsolutePath().normalize();
    this.masterKeyFile = b.masterKeyFile.toAbsolutePath().normalize();
    if (masterKeyFile.startsWith(dataDir)) {
      throw new IllegalArgumentException("the master key file must be outside the data directory");
    }
    this.syncPolicy = Objects.requireNonNull(b.syncPolicy, "syncPolicy");
    this.maxEnvelopeBytes = positive(b.maxEnvelopeBytes, "maxEnvelopeBytes");
    this.queueMessageQuota = positive(b.queueMessageQuota, "queueMessageQuota");
    this.queueByteQuota = positive(b.queueByteQuota, "queueByteQuota");
    if (b.diskBudgetBytes < 0) {
      throw new IllegalArgumentException("diskBudgetBytes must not be negative (0 = automatic)");
    }
    this.diskBudgetBytes = b.diskBudgetBytes;
    this.maxQueues = positive(b.maxQueues, "maxQueues");
    this.envelopeTtl = atLeastHour(b.envelopeTtl, "envelopeTtl");
    this.idleQueueTtl = atLeastHour(b.idleQueueTtl, "idleQueueTtl");
    this.unsecuredQueueTtl =
        Duration.ZERO.equals(b.unsecuredQueueTtl)
            ? Duration.ZERO
            : atLeastHour(b.unsecuredQueueTtl, "unsecuredQueueTtl");
    this.shredWindow = positive(b.shredWindow, "shredWindow");
    this.sweepInterval = positive(b.sweepInterval, "sweepInterval");
    this.submissionQueueCapacity = positive(b.submissionQueueCapacity, "submissionQueueCapacity");
    this.maxGroupSize = positive(b.maxGroupSize, "maxGroupSize");
    this.readThreads = positive(b.readThreads, "readThreads");
    this.readQueueCapacity = positive(b.readQueueCapacity, "readQueueCapacity");
    this.maxPageSize = positive(b.maxPageSize, "maxPageSize");
    this.activeQueueCacheSize = positive(b.activeQueueCacheSize, "activeQueueCacheSize");
    this.blockCacheBytes = positive(b.blockCacheBytes, "blockCacheBytes");
    this.messagesWriteBufferBytes = positive(b.messagesWriteBufferBytes, "messagesWriteBuffer");
    if (b.pendingCacheBytes < 0) {
      throw new IllegalArgumentException("pendingCacheBytes must not be negative");
    }
    this.pendingCacheBytes = b.pendingCacheBytes;
    this.createIfMissing = b.createIfMissing;
  }

  private static int positive(int v, String name) {
    if (v <= 0) {
      throw new IllegalArgumentException(name + " must be positive");
    }
    return v;
  }

  private static long positive(long v, String name) {
    if (v <= 0) {
      throw new IllegalArgumentException(name + " must be positive");
    }
    return v;
  }

  private static Duration positive(Duration d, String name) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
    return d;
  }

  private static Duration atLeastHour(Duration d, String name) {
    if (d == null || d.compareTo(Duration.ofHours(1)) < 0) {
      throw new IllegalArgumentException(
          name + " must be at least one hour (stored times are hours)");
    }
    return d;
  }

  /**
   * A builder with the defaults: sync always, E = 15847, 128 envelopes and 2 MiB per queue, an
   * automatic disk budget (half the free space at open), at most two million queues, TTL 21 days,
   * idle expiry 90 days, shred window 60 s.
   *
   * @param dataDir the RocksDB directory
   * @param masterKeyFile the master key file, outside {@code dataDir}; created 0600 on first open
   */
  public static Builder builder(Path dataDir, Path masterKeyFile) {
    return new Builder(dataDir, masterKeyFile);
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    Builder b = new Builder(dataDir, masterKeyFile);
    b.syncPolicy = syncPolicy;
    b.maxEnvelopeBytes = maxEnvelopeBytes;
    b.queueMessageQuota = queueMessageQuota;
    b.queueByteQuota = queueByteQuota;
    b.diskBudgetBytes = diskBudgetBytes;
    b.envelopeTtl = envelopeTtl;
    b.idleQueueTtl = idleQueueTtl;
    b.unsecuredQueueTtl = unsecuredQueueTtl;
    b.shredWindow = shredWindow;
    b.sweepInterval = sweepInterval;
    b.submissionQueueCapacity = submissionQueueCapacity;
    b.maxGroupSize = maxGroupSize;
    b.readThreads = readThreads;
    b.readQueueCapacity = readQueueCapacity;
    b.maxPageSize = maxPageSize;
    b.activeQueueCacheSize = activeQueueCacheSize;
    b.blockCacheBytes = blockCacheBytes;
    b.messagesWriteBufferBytes = messagesWriteBufferBytes;
    b.pendingCacheBytes = pendingCacheBytes;
    b.createIfMissing = createIfMissing;
    b.maxQueues = maxQueues;
    return b;
  }

  public Path dataDir() {
    return dataDir;
  }

  public Path masterKeyFile() {
    return masterKeyFile;
  }

  public SyncPolicy syncPolicy() {
    return syncPolicy;
  }

  public int maxEnvelopeBytes() {
    return maxEnvelopeBytes;
  }

  public int queueMessageQuota() {
    return queueMessageQuota;
  }

  public long queueByteQuota() {
    return queueByteQuota;
  }

  /**
   * The store's disk budget (SST and WAL bytes): beyond it, appends fail with {@code DISK_BUDGET}
   * while reads, acks and deletions go on. {@link #DISK_BUDGET_AUTO} (the default): half of what
   * was free on the data directory's filesystem when the store opened, plus what the store already
   * used, so a flood is refused long before the disk is full; {@code Long.MAX_VALUE}: no budget.
   */
  public long diskBudgetBytes() {
    return diskBudgetBytes;
  }

  /** Queues the store may hold; beyond it CreateQueue fails with {@code DISK_BUDGET}. */
  public long maxQueues() {
    return maxQueues;
  }

  public Duration envelopeTtl() {
    return envelopeTtl;
  }

  public Duration idleQueueTtl() {
    return idleQueueTtl;
  }

  /**
   * A queue that has never been secured (no send token) is deleted this long after its creation
   * (issue 12: queues made and abandoned in bulk do not hold the store for the idle expiry); zero =
   * unsecured queues expire like the others.
   */
  public Duration unsecuredQueueTtl() {
    return unsecuredQueueTtl;
  }

  public Duration shredWindow() {
    return shredWindow;
  }

  public Duration sweepInterval() {
    return sweepInterval;
  }

  public int submissionQueueCapacity() {
    return submissionQueueCapacity;
  }

  public int maxGroupSize() {
    return maxGroupSize;
  }

  public int readThreads() {
    return readThreads;
  }

  public int readQueueCapacity() {
    return readQueueCapacity;
  }

  public int maxPageSize() {
    return maxPageSize;
  }

  public int activeQueueCacheSize() {
    return activeQueueCacheSize;
  }

  public long blockCacheBytes() {
    return blockCacheBytes;
  }

  public long messagesWriteBufferBytes() {
    return messagesWriteBufferBytes;
  }

  /**
   * Memory for the pending envelopes of queues that are being read (decrypted, in append order), so
   * that a subscriber that keeps up is served from memory rather than from disk; 0 turns the cache
   * off.
   */
  public long pendingCacheBytes() {
    return pendingCacheBytes;
  }

  /**
   * Whether opening may create a new store where there is none. Even when true, a store is created
   * only for a brand-new data directory, where neither the store nor the master key file exists (or
   * a creation was interrupted): a key file without its store means the store was deleted or moved,
   * and opening fails with {@code STORE_MISSING} rather than start empty. False: opening never
   * creates anything and fails with {@code NOT_INITIALISED} where there is no store.
   */
  public boolean createIfMissing() {
    return createIfMissing;
  }

  /** Mutable builder; {@link #build()} validates. */
  public static final class Builder {
    private final Path dataDir;
    private final Path masterKeyFile;
    private SyncPolicy syncPolicy = SyncPolicy.ALWAYS;
    private int maxEnvelopeBytes = DEFAULT_MAX_ENVELOPE_BYTES;
    private int queueMessageQuota = 128;
    private long queueByteQuota = 2L * 1024 * 1024;
    private long diskBudgetBytes = DISK_BUDGET_AUTO;
    private Duration envelopeTtl = Duration.ofDays(21);
    private Duration idleQueueTtl = Duration.ofDays(90);
    private Duration unsecuredQueueTtl = Duration.ZERO;
    private Duration shredWindow = Duration.ofSeconds(60);
    private Duration sweepInterval = Duration.ofMinutes(5);
    private int submissionQueueCapacity = 16_384;
    private int maxGroupSize = 512;
    private int readThreads = 2;
    private int readQueueCapacity = 4_096;
    private int maxPageSize = 64;
    private int activeQueueCacheSize = 65_536;
    private long blockCacheBytes = 16L * 1024 * 1024;
    private long messagesWriteBufferBytes = 16L * 1024 * 1024;
    private long pendingCacheBytes = 32L * 1024 * 1024;
    private boolean createIfMissing = true;
    private long maxQueues = DEFAULT_MAX_QUEUES;

    private Builder(Path dataDir, Path masterKeyFile) {
      this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
      this.masterKeyFile = Objects.requireNonNull(masterKeyFile, "masterKeyFile");
    }

    public Builder syncPolicy(SyncPolicy v) {
      syncPolicy = v;
      return this;
    }

    public Builder maxEnvelopeBytes(int v) {
      maxEnvelopeBytes = v;
      return this;
    }

    public Builder queueMessageQuota(int v) {
      queueMessageQuota = v;
      return this;
    }

    public Builder queueByteQuota(long v) {
      queueByteQuota = v;
      return this;
    }

    /** See {@link MailboxConfig#diskBudgetBytes()}; 0 = automatic, Long.MAX_VALUE = none. */
    public Builder diskBudgetBytes(long v) {
      diskBudgetBytes = v;
      return this;
    }

    /** See {@link MailboxConfig#maxQueues()}. */
    public Builder maxQueues(long v) {
      maxQueues = v;
      return this;
    }

    public Builder envelopeTtl(Duration v) {
      envelopeTtl = v;
      return this;
    }

    public Builder idleQueueTtl(Duration v) {
      idleQueueTtl = v;
      return this;
    }

    /** See {@link MailboxConfig#unsecuredQueueTtl()}: zero, or at least one hour. */
    public Builder unsecuredQueueTtl(Duration v) {
      unsecuredQueueTtl = v;
      return this;
    }

    /** Deleted keys are gone from the data directory's files within about this long. */
    public Builder shredWindow(Duration v) {
      shredWindow = v;
      return this;
    }

    public Builder sweepInterval(Duration v) {
      sweepInterval = v;
      return this;
    }

    public Builder submissionQueueCapacity(int v) {
      submissionQueueCapacity = v;
      return this;
    }

    public Builder maxGroupSize(int v) {
      maxGroupSize = v;
      return this;
    }

    public Builder readThreads(int v) {
      readThreads = v;
      return this;
    }

    public Builder readQueueCapacity(int v) {
      readQueueCapacity = v;
      return this;
    }

    /** See {@link MailboxConfig#pendingCacheBytes()}; 0 turns the cache off. */
    public Builder pendingCacheBytes(long v) {
      pendingCacheBytes = v;
      return this;
    }

    public Builder maxPageSize(int v) {
      maxPageSize = v;
      return this;
    }

    /** Queues whose tail state is kept in memory (about 150 bytes of heap each). */
    public Builder activeQueueCacheSize(int v) {
      activeQueueCacheSize = v;
      return this;
    }

    public Builder blockCacheBytes(long v) {
      blockCacheBytes = v;
      return this;
    }

    public Builder messagesWriteBufferBytes(long v) {
      messagesWriteBufferBytes = v;
      return this;
    }

    /** See {@link MailboxConfig#createIfMissing()}; default true. */
    public Builder createIfMissing(boolean v) {
      createIfMissing = v;
      return this;
    }

    public MailboxConfig build() {
      return new MailboxConfig(this);
    }
  }
}
