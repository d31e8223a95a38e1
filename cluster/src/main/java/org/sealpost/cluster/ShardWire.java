package org.sealpost.cluster;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.sealpost.mailbox.MessageId;
import org.sealpost.mailbox.QueueId;
import org.sealpost.mailbox.StoredEnvelope;

/**
 * The bodies of the messages between nodes: one operation byte, then fixed-length fields in order;
 * variable fields carry a 4-byte length. Addresses are per shard ({@link #address}), never per
 * queue; nothing here is logged.
 */
final class ShardWire {
  static final byte CREATE = 1;
  static final byte AUTHORIZE = 2;
  static final byte SECURE = 3;
  static final byte SEND = 4;
  static final byte READ = 5;
  static final byte IS_FULL = 6;
  static final byte ACK = 7;
  static final byte DELETE = 8;
  // issue 14 (session 8): many Acks in one request (AckBatcher); per Ack the answer is a status
  // byte and an error code (0 unless failed)
  static final byte ACK_BATCH = 9;
  static final byte ACK_GONE = 0;
  static final byte ACK_DELETED = 1;
  static final byte ACK_FAILED = 2;
  static final int ACK_ANSWER = 5;

  static final byte EVENT_PENDING = 1;
  static final byte EVENT_QUOTA = 2;
  // issue 14 (session 8): a pending event carrying the appended envelope (RemoteTails)
  static final byte EVENT_PENDING_ENVELOPE = 3;

  private ShardWire() {}

  /** Where a shard's owner takes commands. */
  static String address(int shard) {
    return "sealpost.shard." + shard;
  }

  /** Where a shard's owner publishes pending and quota events to every node. */
  static String eventAddress(int shard) {
    return "sealpost.shard." + shard + ".events";
  }

  /** A reader over a body, field by field. */
  static final class Reader {
    private final Buffer b;
    private int pos;

    Reader(Buffer b) {
      this.b = b;
    }

    byte op() {
      return b.getByte(pos++);
    }

    byte[] fixed(int length) {
      byte[] out = b.getBytes(pos, pos + length);
      pos += length;
      return out;
    }

    byte[] variable() {
      int n = b.getInt(pos);
      pos += 4;
      return fixed(n);
    }

    long longValue() {
      long v = b.getLong(pos);
      pos += 8;
      return v;
    }

    int intValue() {
      int v = b.getInt(pos);
      pos += 4;
      return v;
    }

    boolean bool() {
      return op() != 0;
    }

    QueueId queue() {
      return QueueId.of(fixed(QueueId.LENGTH));
    }
  }

  static Buffer op(byte op) {
    return Buffer.buffer().appendByte(op);
  }

  static Buffer variable(Buffer b, byte[] v) {
    return b.appendInt(v.length).appendBytes(v);
  }

  static Buffer queue(Buffer b, QueueId q) {
    return b.appendBytes(q.bytes());
  }

  static Buffer envelopes(List<StoredEnvelope> list) {
    Buffer b = Buffer.buffer().appendInt(list.size());
    for (StoredEnvelope e : list) {
      envelope(b, e);
    }
    return b;
  }

  /** Appends one envelope: position, message ID, not-before time, the envelope. */
  static Buffer envelope(Buffer b, StoredEnvelope e) {
    b.appendLong(e.position()).appendBytes(e.messageId().bytes()).appendLong(e.notBefore());
    return variable(b, e.envelope());
  }

  /** Reads one envelope written by {@link #envelope(Buffer, StoredEnvelope)}. */
  static StoredEnvelope envelope(Reader r) {
    long position = r.longValue();
    MessageId id = MessageId.of(r.fixed(MessageId.LENGTH));
    long notBefore = r.longValue();
    return new StoredEnvelope(position, id, r.variable(), notBefore);
  }

  static List<StoredEnvelope> envelopes(Buffer body) {
    Reader r = new Reader(body);
    int n = r.intValue();
    List<StoredEnvelope> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(envelope(r));
    }
    return out;
  }
}
