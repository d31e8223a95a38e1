package org.sealpost.mailbox.rocksdb;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.sealpost.mailbox.MailboxException;

/**
 * Where the store's bugs surface: an unexpected runtime exception (not a {@link MailboxException},
 * not a RocksDB error) becomes {@code STORAGE}, is counted, and is logged at ERROR the first time
 * its operation and class are seen, by class name and stack frames only. Exception messages can
 * carry data (a key, an ID, envelope bytes), so neither the log nor the cause handed on keeps them.
 */
final class InternalErrors {
  private static final System.Logger LOG = System.getLogger(InternalErrors.class.getName());

  /** Distinct (operation, class) pairs logged: bounded, since a store has few of either. */
  private static final int MAX_LOGGED = 256;

  private final AtomicLong count = new AtomicLong();
  private final Set<String> logged = ConcurrentHashMap.newKeySet();

  /** Counts and logs {@code e}; returns the store error for the caller to fail with. */
  MailboxException report(String operation, RuntimeException e) {
    count.incrementAndGet();
    Scrubbed scrubbed = Scrubbed.of(e);
    String what = operation + ": unexpected " + e.getClass().getName();
    if (logged.size() < MAX_LOGGED && logged.add(what)) {
      LOG.log(System.Logger.Level.ERROR, "mailbox " + what, scrubbed);
    }
    return new MailboxException(
        MailboxException.Code.STORAGE, operation + ": internal error", scrubbed);
  }

  /** Unexpected failures so far: an aggregate for the relay's metrics. */
  long count() {
    return count.get();
  }

  /**
   * A copy of a throwable without its messages: the class name and stack frames of it and its
   * causes, which say where the bug is and nothing about the data it was handling.
   */
  static final class Scrubbed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private Scrubbed(Throwable original, Scrubbed cause) {
      super(original.getClass().getName(), cause, false, true);
      setStackTrace(original.getStackTrace());
    }

    static Scrubbed of(Throwable t) {
      return of(t, 0);
    }

    private static Scrubbed of(Throwable t, int depth) {
      Throwable c = t.getCause();
      boolean more = c != null && c != t && depth < 8;
      return new Scrubbed(t, more ? of(c, depth + 1) : null);
    }
  }
}
