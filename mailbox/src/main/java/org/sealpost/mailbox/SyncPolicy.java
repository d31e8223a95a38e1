package org.sealpost.mailbox;

/** When a write is reported complete. */
public enum SyncPolicy {
  /** Each group's WAL write is followed by fdatasync before any of its futures completes. */
  ALWAYS,
  /**
   * Futures complete after the WAL write reached the OS, without fdatasync: survives a process
   * crash, not a power loss. For tests and benchmarks, never for a relay that answers OK.
   */
  NEVER
}
