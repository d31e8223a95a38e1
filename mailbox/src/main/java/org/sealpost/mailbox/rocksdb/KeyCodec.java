package org.sealpost.mailbox.rocksdb;

import org.sealpost.mailbox.MessageId;
import org.sealpost.mailbox.QueueId;

/**
 * Fixed-width big-endian keys, so byte order is queue order then append order.
 *
 * <pre>
 * messages, keys:  queueId(16) ‖ seq(8)       seq 0 in keys = the queue record's storage key
 * queues:          queueId(16)
 * ids:             HMAC-SHA256(idKey, kind(1) ‖ id(32))
 * expiry:          kind(1) ‖ hour(4) ‖ queueId(16)
 * </pre>
 *
 * A value in {@code keys} for seq ≥ 1 is {@code storageKey(32) ‖ messageId(12) ‖ expiresHour(4) ‖
 * length(4)}.
 */
final class KeyCodec {
  static final int SEQ_KEY_LENGTH = QueueId.LENGTH + 8;
  static final int EXPIRY_KEY_LENGTH = 1 + 4 + QueueId.LENGTH;
  static final int STORAGE_KEY_LENGTH = 32;
  static final int KEY_VALUE_LENGTH = STORAGE_KEY_LENGTH + MessageId.LENGTH + 4 + 4;

  static final byte EXPIRY_ENVELOPES = 1;
  static final byte EXPIRY_IDLE = 2;
  // issue 12: created hour + unsecured TTL of a queue not yet secured
  static final byte EXPIRY_UNSECURED = 3;
  static final byte ID_RECIPIENT = 1;
  static final byte ID_SENDER = 2;

  private KeyCodec() {}

  static byte[] seqKey(QueueId queue, long seq) {
    byte[] k = new byte[SEQ_KEY_LENGTH];
    queue.copyTo(k, 0);
    putLong(k, QueueId.LENGTH, seq);
    return k;
  }

  /** Exclusive upper bound of every seq key of {@code queue}: the queue id plus one. */
  static byte[] queueUpperBound(QueueId queue) {
    byte[] k = new byte[SEQ_KEY_LENGTH];
    queue.copyTo(k, 0);
    for (int i = QueueId.LENGTH - 1; i >= 0; i--) {
      if (++k[i] != 0) {
        return k;
      }
    }
    // the all-ones queue id: every key of it is below 17 bytes of 0xff
    byte[] top = new byte[SEQ_KEY_LENGTH + 1];
    java.util.Arrays.fill(top, (byte) 0xff);
    return top;
  }

  static long seqOf(byte[] seqKey) {
    return getLong(seqKey, QueueId.LENGTH);
  }

  static boolean hasQueuePrefix(byte[] key, QueueId queue) {
    if (key.length != SEQ_KEY_LENGTH) {
      return false;
    }
    byte[] q = queue.bytes();
    for (int i = 0; i < QueueId.LENGTH; i++) {
      if (key[i] != q[i]) {
        return false;
      }
    }
    return true;
  }

  static byte[] queueKey(QueueId queue) {
    return queue.bytes();
  }

  static byte[] expiryKey(byte kind, int hour, QueueId queue) {
    byte[] k = new byte[EXPIRY_KEY_LENGTH];
    k[0] = kind;
    putInt(k, 1, hour);
    queue.copyTo(k, 5);
    return k;
  }

  static byte[] expiryBound(byte kind, int hour) {
    byte[] k = new byte[5];
    k[0] = kind;
    putInt(k, 1, hour);
    return k;
  }

  static QueueId expiryQueue(byte[] expiryKey) {
    return QueueId.of(java.util.Arrays.copyOfRange(expiryKey, 5, EXPIRY_KEY_LENGTH));
  }

  static byte[] keyValue(byte[] storageKey, MessageId id, int expiresHour, int length) {
    byte[] v = new byte[KEY_VALUE_LENGTH];
    System.arraycopy(storageKey, 0, v, 0, STORAGE_KEY_LENGTH);
    System.arraycopy(id.bytes(), 0, v, STORAGE_KEY_LENGTH, MessageId.LENGTH);
    putInt(v, STORAGE_KEY_LENGTH + MessageId.LENGTH, expiresHour);
    putInt(v, STORAGE_KEY_LENGTH + MessageId.LENGTH + 4, length);
    return v;
  }

  static int expiresHourOf(byte[] keyValue) {
    return getInt(keyValue, STORAGE_KEY_LENGTH + MessageId.LENGTH);
  }

  static int lengthOf(byte[] keyValue) {
    return getInt(keyValue, STORAGE_KEY_LENGTH + MessageId.LENGTH + 4);
  }

  static void putLong(byte[] b, int off, long v) {
    for (int i = 7; i >= 0; i--) {
      b[off + i] = (byte) v;
      v >>>= 8;
    }
  }

  static long getLong(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[off + i] & 0xff);
    }
    return v;
  }

  static void putInt(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 24);
    b[off + 1] = (byte) (v >>> 16);
    b[off + 2] = (byte) (v >>> 8);
    b[off + 3] = (byte) v;
  }

  static int getInt(byte[] b, int off) {
    return ((b[off] & 0xff) << 24)
        | ((b[off + 1] & 0xff) << 16)
        | ((b[off + 2] & 0xff) << 8)
        | (b[off + 3] & 0xff);
  }
}
