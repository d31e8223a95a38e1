package org.sealpost.relay.delivery;

/**
 * A stored envelope that is not E bytes long (stored under another block size): it cannot be
 * delivered on this relay, and a Get for it is answered {@code STORE}.
 */
public final class UndeliverableEnvelope extends RuntimeException {
  private static final long serialVersionUID = 1L;

  static final UndeliverableEnvelope INSTANCE = new UndeliverableEnvelope();

  private UndeliverableEnvelope() {
    super("a stored envelope has the wrong size for this relay", null, false, false);
  }
}
