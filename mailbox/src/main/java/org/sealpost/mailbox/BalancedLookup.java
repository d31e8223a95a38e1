package org.sealpost.mailbox;

import java.util.Objects;
import java.util.Optional;

/**
 * The result of {@link MailboxStore#lookupBalanced}: the queue the ID names, if any, and whether
 * the counterpart lookup found a queue (for a miss, the counterpart is the caller's decoy: if it
 * was not found, the decoy is gone and the caller makes another).
 *
 * @param found the queue the looked-up ID names
 * @param counterpartFound whether the counterpart ID named a queue
 */
public record BalancedLookup(Optional<QueueRecord> found, boolean counterpartFound) {
  public BalancedLookup {
    Objects.requireNonNull(found, "found");
  }
}
