package org.sealpost.proto.codec;

/**
 * How a block's WebSocket frame maps onto TLS 1.3 records, shared by the relay and the client so
 * both cut their records the same way (docs/decisions.md, "Default block size"). An observer of the
 * TLS stream must see every block as the same records: never part of two blocks in one record.
 */
public final class TlsRecordAlignment {
  /**
   * The most application data the JDK's TLS 1.3 engine (JDK 17 and 25 alike) puts in one record:
   * 16384 minus 16 bytes it reserves and one byte for the inner content type. A JDK record on the
   * wire is its data plus 38 bytes (5-byte header, content type, padding, 16-byte tag).
   */
  public static final int JDK_TLS13_MAX_RECORD_DATA = 16367;

  /** Header of an unmasked (relay to client) binary frame of 126..65535 bytes. */
  public static final int SERVER_FRAME_HEADER = 4;

  /** Header of a masked (client to relay) binary frame of 126..65535 bytes. */
  public static final int CLIENT_FRAME_HEADER = 8;

  private TlsRecordAlignment() {}

  /** The TLS chunk (Netty's wrap data size) for frames of {@code frameSize} bytes on the JDK. */
  public static int chunkSize(int frameSize) {
    return chunkSize(frameSize, JDK_TLS13_MAX_RECORD_DATA);
  }

  /**
   * The TLS chunk for frames of {@code frameSize} bytes: the frame itself if it fits {@code
   * capacity}, else the largest equal part (frame / k, k dividing the frame) that fits. With a
   * chunk that divides the frame, every cut falls at the same offsets inside every frame whatever
   * the flush pattern. When no small k divides the frame, the frame size itself: data stay correct,
   * but the engine's own cut no longer lines up with frames (choose B with B + 4 and B + 8 at most
   * 16367, or even).
   */
  public static int chunkSize(int frameSize, int capacity) {
    if (frameSize <= capacity) {
      return frameSize;
    }
    for (int k = (frameSize + capacity - 1) / capacity; k <= 16; k++) {
      if (frameSize % k == 0) {
        return frameSize / k;
      }
    }
    return frameSize;
  }
}
