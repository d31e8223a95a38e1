package org.sealpost.mailbox;

import java.util.Objects;
import java.util.Optional;

/**
 * The result of {@link MailboxStore#lookupBalanced}: the queue the ID names, if any, and whether
 * the decoy is still there (a miss reads the decoy's record; if it is gone, the caller makes
 * another). After a hit the decoy is not read, and {@code decoyFound} is true.
 *
 * @param found the queue the looked-up ID names
 * @param decoyFound false only when a miss found the decoy gone (or was given none)
 */
public record BalancedLookup(Optional<QueueRecord> found, boolean decoyFound) {
  public BalancedLookup {
    Objects.requireNonNull(found, "found");
  }
}
