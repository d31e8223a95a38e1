package org.sealpost.mailbox;

/** Which of a queue's two IDs a lookup names. */
public enum IdKind {
  /** The ID recipient commands carry. */
  RECIPIENT,
  /** The ID senders address a queue by. */
  SENDER
}
