package org.sealpost.mailbox.rocksdb;

import java.util.Arrays;
import org.sealpost.mailbox.MailboxException;

/**
 * Plaintext of a stored envelope before at-rest encryption (issue 10, store format 2):
 *
 * <pre>
 * version(1) = 1 ‖ notBefore(8, epoch milliseconds, 0 = at once) ‖ envelope
 * </pre>
 *
 * The time a delayed envelope becomes deliverable lives only here, inside the envelope's own
 * encryption, so it is shredded with the envelope. Format 1 sealed the envelope alone; such an
 * envelope is recognised by its length (the {@code keys} value records the envelope's length) and
 * is deliverable at once.
 */
final class EnvelopeCodec {
  static final int HEADER = 1 + 8;
  private static final byte VERSION = 1;

  private EnvelopeCodec() {}

  static byte[] wrap(long notBefore, byte[] envelope) {
    byte[] b = new byte[HEADER + envelope.length];
    b[0] = VERSION;
    KeyCodec.putLong(b, 1, notBefore);
    System.arraycopy(envelope, 0, b, HEADER, envelope.length);
    return b;
  }

  /** The envelope of a decrypted record whose envelope has {@code length} bytes. */
  static byte[] envelope(byte[] plain, int length) {
    if (plain.length == length) {
      return plain; // format 1
    }
    check(plain, length);
    return Arrays.copyOfRange(plain, HEADER, plain.length);
  }

  /** When the envelope of a decrypted record becomes deliverable (0: at once). */
  static long notBefore(byte[] plain, int length) {
    if (plain.length == length) {
      return 0;
    }
    check(plain, length);
    return KeyCodec.getLong(plain, 1);
  }

  private static void check(byte[] plain, int length) {
    if (plain.length != HEADER + length || plain[0] != VERSION) {
      throw new MailboxException(MailboxException.Code.CORRUPT, "read envelope: bad format");
    }
  }
}
