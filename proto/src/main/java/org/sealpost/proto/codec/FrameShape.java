package org.sealpost.proto.codec;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import org.sealpost.proto.v1.Frame;

/**
 * An allocation-free scan of a frame's wire format before protobuf parses it. Protobuf accepts a
 * field written many times (the last one wins) and builds objects for every copy, so a frame of a
 * few hundred bytes of repeated empty sub-messages would allocate tens of times its size. A
 * conforming encoder never writes that, so the codec refuses it: in the Frame and in its body no
 * field number below 64 may appear twice (except the repeated {@code ClientHello.versions}), at
 * most one body may be present, and no group (a proto2 relic, nested without a length) may appear.
 * Unknown fields above 63 are not tracked: the parser skips unknown fields without allocating.
 */
final class FrameShape {
  private static final long BODY_FIELDS = bodyFields();

  private FrameShape() {}

  private static long bodyFields() {
    long mask = 0;
    for (FieldDescriptor f : Frame.getDescriptor().getOneofs().get(0).getFields()) {
      mask |= 1L << f.getNumber();
    }
    return mask;
  }

  /**
   * Whether {@code bytes[pos, pos + length)} has the compact shape described above. Malformed wire
   * data is left to the parser, which rejects it.
   */
  static boolean isCompact(byte[] bytes, int pos, int length) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(bytes, pos, length);
    long seen = 0;
    boolean body = false;
    int tag;
    while ((tag = in.readTag()) != 0) {
      int field = WireFormat.getTagFieldNumber(tag);
      int wireType = WireFormat.getTagWireType(tag);
      if (isGroup(wireType)) {
        return false;
      }
      seen = mark(seen, field);
      if (seen == DUPLICATE) {
        return false;
      }
      boolean isBody =
          field < 64
              && (BODY_FIELDS & (1L << field)) != 0
              && wireType == WireFormat.WIRETYPE_LENGTH_DELIMITED;
      if (!isBody) {
        in.skipField(tag);
        continue;
      }
      if (body) {
        return false;
      }
      body = true;
      int bodyLength = in.readRawVarint32();
      if (bodyLength < 0 || bodyLength > length - in.getTotalBytesRead()) {
        return true; // truncated: the parser reports it
      }
      int bodyStart = pos + in.getTotalBytesRead();
      if (field != Frame.CLIENT_HELLO_FIELD_NUMBER
          && !hasUniqueFields(bytes, bodyStart, bodyLength)) {
        return false;
      }
      in.skipRawBytes(bodyLength);
    }
    return true;
  }

  private static boolean hasUniqueFields(byte[] bytes, int pos, int length) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(bytes, pos, length);
    long seen = 0;
    int tag;
    while ((tag = in.readTag()) != 0) {
      int field = WireFormat.getTagFieldNumber(tag);
      if (isGroup(WireFormat.getTagWireType(tag))) {
        return false;
      }
      seen = mark(seen, field);
      if (seen == DUPLICATE) {
        return false;
      }
      in.skipField(tag);
    }
    return true;
  }

  // Field 0 is never a valid tag, so bit 0 is never set and an all-ones mask cannot be a real one.
  private static final long DUPLICATE = -1L;

  /** Adds a field number below 64 to the mask, or returns DUPLICATE if it was already there. */
  private static long mark(long seen, int field) {
    if (field >= 64) {
      return seen;
    }
    long bit = 1L << field;
    return (seen & bit) != 0 ? DUPLICATE : seen | bit;
  }

  private static boolean isGroup(int wireType) {
    return wireType == WireFormat.WIRETYPE_START_GROUP || wireType == WireFormat.WIRETYPE_END_GROUP;
  }
}
