package org.sealpost.mailbox;

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
    /** The store's global disk budget is used up; reads, acks and deletions still work. */
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

  private final Code code;

  public MailboxException(Code code, String message) {
    super(code + ": " + message, null, false, false);
    this.code = code;
  }

  /**
   * An error with a cause, for a failure the store did not expect; the cause must carry no user
   * data (the store passes a copy with class names and stack frames only).
   */
  public MailboxException(Code code, String message, Throwable cause) {
    super(code + ": " + message, cause, false, false);
    this.code = code;
  }

  public Code code() {
    return code;
  }

  /** True if the error is a quota refusal ({@code QUOTA_*} or {@code DISK_BUDGET}). */
  public boolean isQuota() {
    return code == Code.QUOTA_MESSAGES || code == Code.QUOTA_BYTES || code == Code.DISK_BUDGET;
  }
}
