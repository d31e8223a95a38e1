package org.sealpost.mailbox;

import java.util.Objects;
import java.util.Optional;

/**
 * The result of {@link MailboxStore#lookupBalanced}: the queue the ID names, if any, and whether
 * the decoy is still there. Only a miss whose seek ran past the last index entry reads the decoy;
 * if it was gone, the caller makes another. Otherwise {@code decoyFound} is true.
 *
 * @param found the queue the looked-up ID names
 * @param decoyFound false only when a miss needed the decoy and found it gone (or was given none)
 */
public record BalancedLookup(Optional<QueueRecord> found, boolean decoyFound) {
  public BalancedLookup {
    Objects.requireNonNull(found, "found");
  }
}
