package org.sealpost.proto.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sealpost.proto.v1.Frame;
import org.sealpost.proto.v1.RecipientOp;
import org.sealpost.proto.v1.SecureQueue;

class BlockCodecTest {
  private final BlockCodec codec = BlockCodec.transport(1024);

  private static BlockError errorOf(ThrowingDecode decode) {
    try {
      decode.run();
    } catch (BlockException e) {
      return e.error();
    }
    throw new AssertionError("expected a BlockException");
  }

  @FunctionalInterface
  interface ThrowingDecode {
    void run() throws BlockException;
  }

  @Test
  void capacitiesFollowTheBlockSize() {
    assertThat(BlockCodec.transport(16_359).capacity()).isEqualTo(16_343);
    assertThat(BlockCodec.handshake(16_359).capacity()).isEqualTo(16_311);
    assertThat(BlockCodec.transport(16_359).maxFrameSize()).isEqualTo(16_338);
    assertThat(BlockCodec.envelopeSize(16_359)).isEqualTo(15_847);
  }

  @Test
  void rejectsBlockSizesOutsideTheAllowedRange() {
    assertThatThrownBy(() -> BlockCodec.transport(1023))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BlockCodec.transport(65_536))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void coverBlockDecodesToNoFrames() throws BlockException {
    byte[] cover = codec.coverBlock();
    assertThat(cover).hasSize(1008);
    assertThat(cover[0]).isEqualTo((byte) 1);
    assertThat(codec.decode(cover)).isEmpty();
  }

  @Test
  void framesRoundTripInOrder() throws BlockException {
    List<Frame> frames = List.of(TestFrames.ping(1), TestFrames.subscribe(2), TestFrames.ping(3));
    byte[] block = codec.encode(frames);
    assertThat(block).hasSize(codec.capacity());
    assertThat(codec.decode(block)).containsExactlyElementsOf(frames);
  }

  @Test
  void blockLayoutIsVersionLengthFramesPadding() throws BlockException {
    Frame ping = TestFrames.ping(7); // 0x08 0x07 0x42 0x00
    byte[] block = codec.encode(ping);
    assertThat(Arrays.copyOf(block, 9))
        .containsExactly(0x01, 0x00, 0x06, 0x00, 0x04, 0x08, 0x07, 0x42, 0x00);
    for (int i = 9; i < block.length; i++) {
      assertThat(block[i]).isZero();
    }
  }

  @Test
  void largestSendFrameFitsADefaultBlock() throws BlockException {
    BlockCodec big = BlockCodec.transport(BlockCodec.DEFAULT_BLOCK_SIZE);
    Frame send =
        TestFrames.send(0xFFFF_FFFF, BlockCodec.envelopeSize(BlockCodec.DEFAULT_BLOCK_SIZE));
    assertThat(big.decode(big.encode(send))).containsExactly(send);
  }

  @Test
  void writerPacksTwoHundredSubscribesIntoOneDefaultBlock() throws BlockException {
    BlockCodec big = BlockCodec.transport(BlockCodec.DEFAULT_BLOCK_SIZE);
    List<Frame> subs = new ArrayList<>();
    for (int i = 1; i <= 200; i++) {
      subs.add(TestFrames.subscribe(i));
    }
    List<byte[]> blocks = big.encodeAll(subs);
    assertThat(blocks).hasSize(1);
    assertThat(big.decode(blocks.get(0))).containsExactlyElementsOf(subs);
  }

  @Test
  void encodeAllStartsANewBlockWhenTheCurrentOneIsFull() throws BlockException {
    List<Frame> subs = new ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      subs.add(TestFrames.subscribe(i));
    }
    List<byte[]> blocks = codec.encodeAll(subs);
    assertThat(blocks.size()).isGreaterThan(1);
    List<Frame> decoded = new ArrayList<>();
    for (byte[] block : blocks) {
      decoded.addAll(codec.decode(block));
    }
    assertThat(decoded).containsExactlyElementsOf(subs);
    assertThat(codec.encodeAll(List.of())).isEmpty();
  }

  @Test
  void writerReportsAFrameThatDoesNotFitAndKeepsTheBlockValid() throws BlockException {
    BlockWriter writer = codec.newWriter();
    byte[] buf = new byte[codec.capacity()];
    writer.begin(buf, 0);
    int added = 0;
    while (writer.tryAdd(TestFrames.subscribe(added + 1))) {
      added++;
    }
    assertThat(added).isPositive();
    assertThat(writer.frameCount()).isEqualTo(added);
    assertThat(writer.remaining()).isLessThan(TestFrames.subscribe(1).getSerializedSize() + 2);
    writer.finish();
    assertThat(codec.decode(buf)).hasSize(added);
  }

  @Test
  void writerZeroesPaddingOfADirtyBufferAtAnOffset() throws BlockException {
    byte[] buf = new byte[codec.capacity() + 10];
    Arrays.fill(buf, (byte) 0xAB);
    BlockWriter writer = codec.newWriter();
    writer.begin(buf, 10);
    assertThat(writer.tryAdd(TestFrames.ping(5))).isTrue();
    assertThat(writer.finish()).isEqualTo(codec.capacity());
    assertThat(buf[9]).isEqualTo((byte) 0xAB);
    assertThat(codec.decode(buf, 10, codec.capacity())).containsExactly(TestFrames.ping(5));
  }

  @Test
  void writerRespectsTheFrameLimit() throws BlockException {
    BlockCodec limited = codec.withMaxFrames(2);
    BlockWriter writer = limited.newWriter();
    writer.begin(new byte[limited.capacity()], 0);
    assertThat(writer.tryAdd(TestFrames.ping(1))).isTrue();
    assertThat(writer.tryAdd(TestFrames.ping(2))).isTrue();
    assertThat(writer.tryAdd(TestFrames.ping(3))).isFalse();
  }

  @Test
  void writerRefusesUseBeforeBegin() {
    BlockWriter writer = codec.newWriter();
    assertThatThrownBy(() -> writer.tryAdd(TestFrames.ping(1)))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void frameLargerThanAnyBlockIsASizeError() {
    Frame tooBig = TestFrames.send(1, codec.maxFrameSize());
    BlockException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            BlockException.class, () -> codec.encode(tooBig));
    assertThat(e.error()).isEqualTo(BlockError.FRAME_TOO_LARGE);
    assertThat(e.error().errorCode()).isEqualTo(org.sealpost.proto.v1.ErrorCode.ERROR_CODE_SIZE);
  }

  @Test
  void frameOfExactlyMaxFrameSizeFits() throws BlockException {
    Frame probe = TestFrames.send(1, 900);
    int envelope = 900 + codec.maxFrameSize() - probe.getSerializedSize();
    Frame exact = TestFrames.send(1, envelope);
    assertThat(exact.getSerializedSize()).isEqualTo(codec.maxFrameSize());
    assertThat(codec.decode(codec.encode(exact))).containsExactly(exact);
  }

  @Test
  void framesThatFitOnlySeparatelyAreBlockFullForEncode() {
    Frame half = TestFrames.send(1, 600);
    assertThat(errorOf(() -> codec.encode(List.of(half, half)))).isEqualTo(BlockError.BLOCK_FULL);
  }

  @Test
  void emptyFrameCannotBeEncoded() {
    assertThat(errorOf(() -> codec.encode(Frame.getDefaultInstance())))
        .isEqualTo(BlockError.BAD_FRAME_LENGTH);
  }

  @Test
  void rejectsBlocksOfAnyOtherSize() {
    assertThat(errorOf(() -> codec.decode(new byte[1007]))).isEqualTo(BlockError.WRONG_SIZE);
    assertThat(errorOf(() -> codec.decode(new byte[1009]))).isEqualTo(BlockError.WRONG_SIZE);
    assertThat(errorOf(() -> codec.decode(new byte[0]))).isEqualTo(BlockError.WRONG_SIZE);
    assertThat(errorOf(() -> codec.decode(new byte[1024]))).isEqualTo(BlockError.WRONG_SIZE);
  }

  @Test
  void rejectsUnknownVersions() {
    byte[] block = codec.coverBlock();
    block[0] = 2;
    assertThat(errorOf(() -> codec.decode(block))).isEqualTo(BlockError.UNKNOWN_VERSION);
    block[0] = 0;
    assertThat(errorOf(() -> codec.decode(block))).isEqualTo(BlockError.UNKNOWN_VERSION);
  }

  @Test
  void rejectsPayloadLengthBeyondCapacity() {
    byte[] block = codec.coverBlock();
    BlockCodec.writeUint16(block, 1, codec.capacity() - 2);
    assertThat(errorOf(() -> codec.decode(block))).isEqualTo(BlockError.LENGTH_BEYOND_CAPACITY);
    BlockCodec.writeUint16(block, 1, 0xFFFF);
    assertThat(errorOf(() -> codec.decode(block))).isEqualTo(BlockError.LENGTH_BEYOND_CAPACITY);
  }

  @Test
  void rejectsNonZeroPaddingEvenInTheLastByte() throws BlockException {
    byte[] block = codec.encode(TestFrames.ping(1));
    block[block.length - 1] = 1;
    assertThat(errorOf(() -> codec.decode(block))).isEqualTo(BlockError.NONZERO_PADDING);
  }

  @Test
  void rejectsFrameLengthZero() {
    byte[] block = codec.coverBlock();
    BlockCodec.writeUint16(block, 1, 2); // payload = 00 00
    assertThat(errorOf(() -> codec.decode(block))).isEqualTo(BlockError.BAD_FRAME_LENGTH);
  }

  @Test
  void rejectsFrameRunningPastThePayload() throws BlockException {
    byte[] block = codec.encode(TestFrames.ping(1)); // payload 6 = 00 04 + 4 bytes
    BlockCodec.writeUint16(block, 3, 5);
    assertThat(errorOf(() -> codec.decode(block))).isEqualTo(BlockError.BAD_FRAME_LENGTH);
  }

  @Test
  void rejectsALengthPrefixCutOffByThePayloadEnd() throws BlockException {
    byte[] block = codec.encode(TestFrames.ping(1));
    BlockCodec.writeUint16(block, 1, 7); // one byte after the frame: half a length prefix
    assertThat(errorOf(() -> codec.decode(block))).isEqualTo(BlockError.BAD_FRAME_LENGTH);
  }

  @Test
  void rejectsMoreFramesThanTheLimit() throws BlockException {
    byte[] block =
        codec.encode(List.of(TestFrames.ping(1), TestFrames.ping(2), TestFrames.ping(3)));
    assertThat(errorOf(() -> codec.withMaxFrames(2).decode(block)))
        .isEqualTo(BlockError.TOO_MANY_FRAMES);
    assertThat(codec.withMaxFrames(3).decode(block)).hasSize(3);
  }

  @Test
  void rejectsAFrameThatIsNotProtobuf() {
    byte[] block = codec.coverBlock();
    BlockCodec.writeUint16(block, 1, 4);
    BlockCodec.writeUint16(block, 3, 2);
    block[5] = (byte) 0xFF; // field 31, wire type 7: invalid
    block[6] = (byte) 0xFF;
    BlockException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            BlockException.class, () -> codec.decode(block));
    assertThat(e.error()).isEqualTo(BlockError.MALFORMED_FRAME);
    assertThat(e.error().errorCode()).isEqualTo(org.sealpost.proto.v1.ErrorCode.ERROR_CODE_BLOCK);
  }

  @Test
  void rejectsDeeplyNestedUnknownGroups() {
    // 20 nested start-group tags of field 100 (0xA3 0x06): deeper than the recursion limit
    byte[] block = codec.coverBlock();
    int n = 20;
    BlockCodec.writeUint16(block, 1, 2 + 2 * n);
    BlockCodec.writeUint16(block, 3, 2 * n);
    for (int i = 0; i < n; i++) {
      block[5 + 2 * i] = (byte) 0xA3;
      block[6 + 2 * i] = 0x06;
    }
    assertThat(errorOf(() -> codec.decode(block))).isEqualTo(BlockError.MALFORMED_FRAME);
  }

  @Test
  void unknownFieldsInAKnownFrameAreSkippedNotRejected() throws BlockException {
    byte[] ping = TestFrames.ping(1).toByteArray();
    byte[] withUnknown = Arrays.copyOf(ping, ping.length + 3);
    withUnknown[ping.length] = (byte) 0xF8; // field 31, varint: tag 0xF8 0x01, value 1
    withUnknown[ping.length + 1] = 0x01;
    withUnknown[ping.length + 2] = 0x01;
    byte[] block = codec.coverBlock();
    BlockCodec.writeUint16(block, 1, 2 + withUnknown.length);
    BlockCodec.writeUint16(block, 3, withUnknown.length);
    System.arraycopy(withUnknown, 0, block, 5, withUnknown.length);
    Frame decoded = codec.decode(block).get(0);
    assertThat(decoded).isEqualTo(TestFrames.ping(1));
    assertThat(decoded.getUnknownFields().asMap()).isEmpty();
  }

  private byte[] blockWithFrameBytes(byte[] frame) {
    byte[] block = codec.coverBlock();
    BlockCodec.writeUint16(block, 1, 2 + frame.length);
    BlockCodec.writeUint16(block, 3, frame.length);
    System.arraycopy(frame, 0, block, 5, frame.length);
    return block;
  }

  @Test
  void rejectsAFrameThatRepeatsAField() {
    // corr_id twice: 08 01 08 02, then ping {}
    byte[] frame = {0x08, 0x01, 0x08, 0x02, 0x42, 0x00};
    assertThat(errorOf(() -> codec.decode(blockWithFrameBytes(frame))))
        .isEqualTo(BlockError.MALFORMED_FRAME);
  }

  @Test
  void rejectsHundredsOfCopiesOfOneBodyInOneFrame() {
    // ping {} written 400 times: protobuf would merge them all, building objects for each copy
    byte[] frame = new byte[800];
    for (int i = 0; i < frame.length; i += 2) {
      frame[i] = 0x42;
    }
    assertThat(errorOf(() -> codec.decode(blockWithFrameBytes(frame))))
        .isEqualTo(BlockError.MALFORMED_FRAME);
  }

  @Test
  void rejectsAFrameWithTwoBodies() {
    byte[] frame = {0x08, 0x01, 0x42, 0x00, 0x4A, 0x00}; // ping {} and pong {}
    assertThat(errorOf(() -> codec.decode(blockWithFrameBytes(frame))))
        .isEqualTo(BlockError.MALFORMED_FRAME);
  }

  @Test
  void rejectsARepeatedFieldInsideTheBody() {
    // ack { recipient_id: 01, recipient_id: 02 }
    byte[] frame = {0x08, 0x01, 0x22, 0x06, 0x0A, 0x01, 0x01, 0x0A, 0x01, 0x02};
    assertThat(errorOf(() -> codec.decode(blockWithFrameBytes(frame))))
        .isEqualTo(BlockError.MALFORMED_FRAME);
  }

  @Test
  void acceptsUnpackedRepeatedVersionsInAClientHello() throws BlockException {
    // client_hello { versions: 1 versions: 2 } written unpacked (two varint fields)
    byte[] frame = {(byte) 0x82, 0x01, 0x04, 0x08, 0x01, 0x08, 0x02};
    Frame decoded = codec.decode(blockWithFrameBytes(frame)).get(0);
    assertThat(decoded.getClientHello().getVersionsList()).containsExactly(1, 2);
  }

  @Test
  void handshakeCodecUsesTheSmallerCapacity() throws BlockException {
    BlockCodec hs = BlockCodec.handshake(1024);
    byte[] block = hs.encode(TestFrames.ping(1));
    assertThat(block).hasSize(976);
    assertThat(errorOf(() -> codec.decode(block))).isEqualTo(BlockError.WRONG_SIZE);
    assertThat(hs.decode(block)).containsExactly(TestFrames.ping(1));
  }

  @Test
  void parsesRecipientOpsAndRejectsGarbage() throws BlockException {
    ByteString op =
        RecipientOp.newBuilder()
            .setSecureQueue(SecureQueue.newBuilder().setSendToken(TestFrames.filled(16, 9)))
            .build()
            .toByteString();
    assertThat(BlockCodec.parseRecipientOp(op).getSecureQueue().getSendToken().size())
        .isEqualTo(16);
    BlockException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            BlockException.class,
            () -> BlockCodec.parseRecipientOp(ByteString.copyFrom(new byte[] {0x0A, 0x05})));
    assertThat(e.error()).isEqualTo(BlockError.MALFORMED_COMMAND);
    assertThat(e.error().errorCode()).isEqualTo(org.sealpost.proto.v1.ErrorCode.ERROR_CODE_SYNTAX);
  }

  @Test
  void errorMessagesNeverContainTheBlockBytes() throws BlockException {
    byte[] block = codec.encode(TestFrames.ping(1));
    block[5] = (byte) 0xFF;
    block[6] = (byte) 0xFF;
    BlockException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            BlockException.class, () -> codec.decode(block));
    assertThat(e.getMessage()).doesNotContainIgnoringCase("ff").doesNotContain("255");
  }
}
