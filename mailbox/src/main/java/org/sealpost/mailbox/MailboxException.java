package org.sealpost.mailbox;

import java.util.Optional;

/**
 * The one unchecked exception of the mailbox store. Its {@link Code} is a closed set; its message
 * names the operation and never contains a key, an ID or envelope bytes.
 */
public final class MailboxException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why an operation failed. */
  public enum Code {
    /** The queue does not exist (never created, deleted or expired). */
    NOT_FOUND,
    /** The queue already has a different send token. */
    ALREADY_SECURED,
    /** The envelope is empty or larger than the configured maximum. */
    ENVELOPE_SIZE,
    /** The queue holds its maximum number of envelopes. */
    QUOTA_MESSAGES,
    /** The queue holds its maximum number of envelope bytes. */
    QUOTA_BYTES,
    /**
     * A store-wide budget is used up (disk bytes, or the number of queues); reads, acks and
     * deletions still work.
     */
    DISK_BUDGET,
    /** A bounded submission queue is full; retry later. */
    OVERLOAD,
    /** The storage engine failed (I/O error, full disk, ...). */
    STORAGE,
    /** The store is closed. */
    CLOSED,
    /** The data directory is corrupt, foreign, or does not match the master key. */
    CORRUPT
  }

  /**
   * Why a store could not be opened: a closed set, each with a one-line explanation for the
   * operator and the {@link Code} it is reported under. No message names a key or its bytes.
   */
  public enum OpenFailure {
    /** Another process (or another store in this one) holds the store's RocksDB LOCK. */
    IN_USE(Code.STORAGE, "the store is in use by another process (its LOCK file is held)"),
    /** The data directory (or, for a new store, its parent) cannot be written. */
    NOT_WRITABLE(Code.STORAGE, "the data directory is not writable"),
    /** The data directory path exists and is not a directory. */
    NOT_A_DIRECTORY(Code.CORRUPT, "the data directory path is not a directory"),
    /** The store exists but its master key file does not. */
    KEY_MISSING(Code.CORRUPT, "the master key file of this store is missing"),
    /** The master key file does not hold exactly 32 bytes. */
    KEY_TRUNCATED(Code.CORRUPT, "the master key file does not hold 32 bytes"),
    /** The master key does not match the key check stored in the store. */
    KEY_WRONG(Code.CORRUPT, "the master key file does not match this store"),
    /** The master key file exists but cannot be read. */
    KEY_UNREADABLE(Code.STORAGE, "the master key file cannot be read"),
    /** The master key file exists but the store directory does not: deleted or moved. */
    STORE_MISSING(
        Code.CORRUPT,
        "the store directory is missing but its master key file exists (deleted or moved?);"
            + " restore it, or move the key file away to start a new, empty store"),
    /** There is no store, and the configuration does not allow creating one. */
    NOT_INITIALISED(Code.CORRUPT, "there is no store here and creating one was not requested"),
    /** The directory holds files that are not a Sealpost store (or not this format). */
    FOREIGN(Code.CORRUPT, "the data directory holds something that is not a Sealpost store"),
    /** issue 12: a Sealpost store of a format newer than this code reads (a newer relay's). */
    NEWER_FORMAT(
        Code.CORRUPT,
        "the store has a newer format than this relay reads (a newer relay opened it);"
            + " run that version, or restore the backup taken before the upgrade"),
    /** The store's files are damaged (RocksDB reports corruption, or its metadata is bad). */
    DAMAGED(Code.CORRUPT, "the store's files are damaged"),
    /** RocksDB's native library could not be loaded (the log line before says why). */
    NATIVE_LIBRARY(
        Code.STORAGE,
        "RocksDB's native library cannot be loaded (the line logged before this one says why)"),
    /** An I/O error other than the above. */
    IO_ERROR(Code.STORAGE, "an I/O error occurred while opening the store"),
    /** The store was opened so many times that its epoch counter ran out. */
    EPOCHS_EXHAUSTED(Code.STORAGE, "the store's open counter (epoch) is exhausted");

    private final Code code;
    private final String description;

    OpenFailure(Code code, String description) {
      this.code = code;
      this.description = description;
    }

    /** The code the failure is reported under. */
    public Code code() {
      return code;
    }

    /** One line for the operator. */
    public String description() {
      return description;
    }
  }

  private final Code code;
  private final OpenFailure openFailure;

  public MailboxException(Code code, String message) {
    super(code + ": " + message, null, false, false);
    this.code = code;
    this.openFailure = null;
  }

  /** A store that could not be opened, for this reason. */
  public MailboxException(OpenFailure failure) {
    super(failure.code() + ": open store: " + failure.description(), null, false, false);
    this.code = failure.code();
    this.openFailure = failure;
  }

  /**
   * An error with a cause, for a failure the store did not expect; the cause must carry no user
   * data (the store passes a copy with class names and stack frames only).
   */
  public MailboxException(Code code, String message, Throwable cause) {
    super(code + ": " + message, cause, false, false);
    this.code = code;
    this.openFailure = null;
  }

  public Code code() {
    return code;
  }

  /** Why the store could not be opened, if this is an open failure. */
  public Optional<OpenFailure> openFailure() {
    return Optional.ofNullable(openFailure);
  }

  /** True if the error is a quota refusal ({@code QUOTA_*} or {@code DISK_BUDGET}). */
  public boolean isQuota() {
    return code == Code.QUOTA_MESSAGES || code == Code.QUOTA_BYTES || code == Code.DISK_BUDGET;
  }
}
