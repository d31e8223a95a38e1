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
  // 4 (one Send) and 7 (one Ack) are retired: they travel in batches (SEND_BATCH, ACK_BATCH)
  static final byte READ = 5;
  static final byte IS_FULL = 6;
  static final byte DELETE = 8;
  // issue 14 (session 8): many Acks in one request (BusBatcher); per Ack the answer is a status
  // byte and an error code (0 unless failed)
  static final byte ACK_BATCH = 9;
  // issue 14 (session 9): many Sends in one request, answered the same way
  static final byte SEND_BATCH = 10;
  static final byte ACK_GONE = 0;
  static final byte ACK_DELETED = 1;
  static final byte SENT = 1;
  static final byte FAILED = 2;
  static final int BATCH_ANSWER = 5;
  static final int MAX_ACK_BATCH = 256;
  // Sends carry envelopes of up to a block each (16 KiB by default): 64 is about 1 MiB at most
  static final int MAX_SEND_BATCH = 64;

  static final byte EVENT_PENDING = 1;
  static final byte EVENT_QUOTA = 2;
  // issue 14: pending events carrying their envelopes (RemoteTails, session 8), sent together
  // (session 9) to each node apart (session 11): incarnation, number, count, then per event a kind,
  // the queue, and its envelope (EVENT_ENVELOPE) or, to the node that sent it, the envelope's
  // fields and that node's ticket (EVENT_SENT_HERE: SentEnvelopes). 3 was session 8's single event
  // and 4 session 9's batch; nodes of a cluster run one version (operations.md)
  static final byte EVENT_PENDING_BATCH = 5;
  static final byte EVENT_ENVELOPE = 0;
  static final byte EVENT_SENT_HERE = 1;

  private ShardWire() {}

  /** Where a shard's owner takes commands. */
  static String address(int shard) {
    return "sealpost.shard." + shard;
  }

  /** Where a shard's owner publishes pending events without envelope and quota events. */
  static String eventAddress(int shard) {
    return "sealpost.shard." + shard + ".events";
  }

  /**
   * Where a shard's owner sends its batches of pending events to {@code node} (a node name of the
   * shard map: per shard and node, never per queue).
   */
  static String eventAddress(int shard, String node) {
    return "sealpost.shard." + shard + ".events." + node;
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

  /** Bytes of one envelope's fields besides the envelope itself (see {@link #envelope}). */
  static final int ENVELOPE_FIELDS = 8 + MessageId.LENGTH + 8 + 4;

  /** Appends one envelope: position, message ID, not-before time, the envelope. */
  static Buffer envelope(Buffer b, StoredEnvelope e) {
    b.appendLong(e.position()).appendBytes(e.messageId().bytes()).appendLong(e.notBefore());
    return variable(b, e.envelope());
  }

  /** Bytes of an envelope's reference besides the queue (see {@link #sentHere}). */
  static final int SENT_HERE_FIELDS = ENVELOPE_FIELDS - 4 + 8;

  /**
   * Appends the fields of an envelope whose bytes the receiving node kept under {@code ticket}:
   * position, message ID, not-before time, the ticket.
   */
  static Buffer sentHere(Buffer b, StoredEnvelope e, long ticket) {
    return b.appendLong(e.position())
        .appendBytes(e.messageId().bytes())
        .appendLong(e.notBefore())
        .appendLong(ticket);
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
