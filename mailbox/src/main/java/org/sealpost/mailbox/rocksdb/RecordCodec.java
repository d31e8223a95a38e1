package org.sealpost.mailbox.rocksdb;

import java.time.Instant;
import java.util.Arrays;
import org.sealpost.mailbox.MailboxException;
import org.sealpost.mailbox.QueueId;
import org.sealpost.mailbox.QueueRecord;
import org.sealpost.mailbox.QueueSecrets;

/**
 * Plaintext of a queue record (encrypted before it is stored):
 *
 * <pre>
 * version(1) flags(1) recipientId(32) senderId(32) deliveryKey(32) macKey(32)
 * sendToken(16, zeros unless secured) createdHour(4) lastActivityHour(4)
 * </pre>
 */
final class RecordCodec {
  static final int LENGTH = 1 + 1 + 32 + 32 + 32 + 32 + 16 + 4 + 4;
  private static final byte VERSION = 1;
  private static final int FLAG_SECURED = 1;
  private static final int TOKEN_OFFSET = 130;
  private static final int CREATED_OFFSET = 146;
  private static final int ACTIVITY_OFFSET = 150;

  private RecordCodec() {}

  static byte[] encode(
      byte[] recipientId,
      byte[] senderId,
      QueueSecrets secrets,
      byte[] sendToken,
      int createdHour,
      int lastActivityHour) {
    byte[] b = new byte[LENGTH];
    b[0] = VERSION;
    b[1] = (byte) (sendToken == null ? 0 : FLAG_SECURED);
    System.arraycopy(recipientId, 0, b, 2, 32);
    System.arraycopy(senderId, 0, b, 34, 32);
    byte[] deliveryKey = secrets.deliveryKey();
    byte[] macKey = secrets.macKey();
    System.arraycopy(deliveryKey, 0, b, 66, 32);
    System.arraycopy(macKey, 0, b, 98, 32);
    Arrays.fill(deliveryKey, (byte) 0);
    Arrays.fill(macKey, (byte) 0);
    if (sendToken != null) {
      System.arraycopy(sendToken, 0, b, TOKEN_OFFSET, 16);
    }
    KeyCodec.putInt(b, CREATED_OFFSET, createdHour);
    KeyCodec.putInt(b, ACTIVITY_OFFSET, lastActivityHour);
    return b;
  }

  static void check(byte[] b) {
    if (b.length != LENGTH || b[0] != VERSION) {
      throw new MailboxException(MailboxException.Code.CORRUPT, "read queue record: bad format");
    }
  }

  static QueueRecord decode(QueueId id, byte[] b) {
    check(b);
    byte[] priv = Arrays.copyOfRange(b, 66, 98);
    QueueSecrets secrets = new QueueSecrets(priv, Arrays.copyOfRange(b, 98, 130));
    Arrays.fill(priv, (byte) 0);
    return new QueueRecord(
        id,
        recipientId(b),
        senderId(b),
        secrets,
        sendToken(b),
        Instant.ofEpochSecond(createdHour(b) * 3600L),
        Instant.ofEpochSecond(lastActivityHour(b) * 3600L));
  }

  static byte[] recipientId(byte[] b) {
    return Arrays.copyOfRange(b, 2, 34);
  }

  static byte[] senderId(byte[] b) {
    return Arrays.copyOfRange(b, 34, 66);
  }

  static byte[] sendToken(byte[] b) {
    return (b[1] & FLAG_SECURED) != 0
        ? Arrays.copyOfRange(b, TOKEN_OFFSET, TOKEN_OFFSET + 16)
        : null;
  }

  static int createdHour(byte[] b) {
    return KeyCodec.getInt(b, CREATED_OFFSET);
  }

  static int lastActivityHour(byte[] b) {
    return KeyCodec.getInt(b, ACTIVITY_OFFSET);
  }

  static byte[] withSendToken(byte[] b, byte[] token) {
    byte[] c = b.clone();
    c[1] = (byte) (c[1] | FLAG_SECURED);
    System.arraycopy(token, 0, c, TOKEN_OFFSET, 16);
    return c;
  }

  static byte[] withLastActivity(byte[] b, int hour) {
    byte[] c = b.clone();
    KeyCodec.putInt(c, ACTIVITY_OFFSET, hour);
    return c;
  }
}
