package org.sealpost.proto.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.sealpost.proto.v1.Frame;

/** The packer byte for byte, at B = 1024 (C = 1008): frames in, blocks out. */
class FramePackerTest {
  private static final BlockCodec CODEC = BlockCodec.transport(1024);
  private static final int C = 1008;
  private static final HexFormat HEX = HexFormat.of();

  /** The block protocol.md §3 describes, built by hand: header, length-prefixed frames, zeros. */
  private static byte[] expectedBlock(Frame... frames) {
    ByteBuffer b = ByteBuffer.allocate(C);
    int payload = 0;
    for (Frame f : frames) {
      payload += 2 + f.toByteArray().length;
    }
    b.put((byte) 0x01).putShort((short) payload);
    for (Frame f : frames) {
      byte[] bytes = f.toByteArray();
      b.putShort((short) bytes.length).put(bytes);
    }
    return b.array(); // the rest is zero
  }

  /** A Send frame of exactly {@code size} serialized bytes. */
  private static Frame sendOfSize(int size) {
    Frame probe = TestFrames.send(1, 900);
    Frame frame = TestFrames.send(1, 900 + size - probe.getSerializedSize());
    assertThat(frame.getSerializedSize()).isEqualTo(size);
    return frame;
  }

  @Test
  void onePingIsTheExampleBlockOfTheProtocol() throws BlockException {
    FramePacker packer = new FramePacker(CODEC);

    packer.add(TestFrames.ping(7));

    assertThat(packer.pollFull()).isNull(); // still open: more frames may join it
    assertThat(HEX.formatHex(packer.nextBlock()))
        .isEqualTo("010006" + "0004" + "08074200" + "00".repeat(C - 9));
    assertThat(packer.isEmpty()).isTrue();
  }

  @Test
  void framesShareTheOpenBlockInOrder() throws BlockException {
    FramePacker packer = new FramePacker(CODEC);
    Frame a = TestFrames.ping(1);
    Frame b = TestFrames.subscribe(2);
    Frame c = TestFrames.send(3, 100);

    packer.add(a);
    packer.add(b);
    packer.add(c);

    assertThat(packer.queuedFrames()).isEqualTo(3);
    assertThat(packer.pollFull()).isNull();
    assertThat(packer.nextBlock()).isEqualTo(expectedBlock(a, b, c));
    assertThat(packer.queuedFrames()).isZero();
    assertThat(packer.isEmpty()).isTrue();
  }

  @Test
  void aFrameExactlyFillingABlockLeavesNoPaddingAndTheNextFrameOpensAnother()
      throws BlockException {
    FramePacker packer = new FramePacker(CODEC);
    Frame exact = sendOfSize(C - 5);
    Frame next = TestFrames.ping(2);

    packer.add(exact);
    packer.add(next);

    byte[] full = packer.pollFull();
    assertThat(full).isEqualTo(expectedBlock(exact));
    assertThat(Arrays.copyOfRange(full, 0, 5)).isEqualTo(HEX.parseHex("01" + "03ed" + "03eb"));
    byte[] frameBytes = exact.toByteArray();
    assertThat(full[C - 1]).isEqualTo(frameBytes[frameBytes.length - 1]); // no padding at all
    assertThat(packer.pollFull()).isNull();
    assertThat(packer.nextBlock()).isEqualTo(expectedBlock(next));
  }

  @Test
  void aFrameThatDoesNotFitGoesWholeIntoTheNextBlockAndLaterFramesFollowIt() throws BlockException {
    FramePacker packer = new FramePacker(CODEC);
    Frame first = TestFrames.send(1, 600);
    Frame second = TestFrames.send(2, 600);
    Frame small = TestFrames.ping(3); // would fit after the first, but order is kept
    assertThat(2 + first.getSerializedSize() + 2 + second.getSerializedSize()).isGreaterThan(C - 3);

    packer.add(first);
    assertThat(packer.pollFull()).isNull();
    packer.add(second);
    packer.add(small);

    assertThat(packer.queuedFrames()).isEqualTo(3);
    assertThat(packer.pollFull()).isEqualTo(expectedBlock(first));
    assertThat(packer.queuedFrames()).isEqualTo(2);
    assertThat(packer.pollFull()).isNull();
    assertThat(packer.nextBlock()).isEqualTo(expectedBlock(second, small));
    assertThat(packer.isEmpty()).isTrue();
  }

  @Test
  void nextBlockHandsOutFullBlocksBeforeTheOpenOne() throws BlockException {
    FramePacker packer = new FramePacker(CODEC);
    Frame[] frames = {TestFrames.send(1, 600), TestFrames.send(2, 600), TestFrames.send(3, 600)};
    for (Frame f : frames) {
      packer.add(f);
    }

    for (Frame f : frames) {
      assertThat(packer.nextBlock()).isEqualTo(expectedBlock(f));
    }
    assertThat(packer.isEmpty()).isTrue();
  }

  @Test
  void anOversizedFrameIsAClearErrorAndLeavesThePackerAsItWas() throws BlockException {
    FramePacker packer = new FramePacker(CODEC);
    Frame ping = TestFrames.ping(1);
    packer.add(ping);
    Frame tooBig = sendOfSize(C - 4);

    assertThatThrownBy(() -> packer.add(tooBig))
        .isInstanceOfSatisfying(
            BlockException.class, e -> assertThat(e.error()).isEqualTo(BlockError.FRAME_TOO_LARGE))
        .hasMessageContaining("1004 bytes")
        .hasMessageContaining("1003");

    assertThat(packer.queuedFrames()).isEqualTo(1);
    assertThat(packer.pollFull()).isNull(); // the open block was not completed for it
    assertThat(packer.nextBlock()).isEqualTo(expectedBlock(ping));

    FramePacker empty = new FramePacker(CODEC);
    assertThatThrownBy(() -> empty.add(tooBig)).isInstanceOf(BlockException.class);
    assertThat(empty.isEmpty()).isTrue();
  }

  @Test
  void aFrameThatSerializesToNothingIsRefused() {
    FramePacker packer = new FramePacker(CODEC);

    assertThatThrownBy(() -> packer.add(Frame.getDefaultInstance()))
        .isInstanceOfSatisfying(
            BlockException.class,
            e -> assertThat(e.error()).isEqualTo(BlockError.BAD_FRAME_LENGTH));
    assertThat(packer.isEmpty()).isTrue();
  }

  @Test
  void theFramesPerBlockLimitCompletesABlock() throws BlockException {
    FramePacker packer = new FramePacker(CODEC.withMaxFrames(2));
    Frame[] pings = {TestFrames.ping(1), TestFrames.ping(2), TestFrames.ping(3)};
    for (Frame p : pings) {
      packer.add(p);
    }

    assertThat(packer.pollFull()).isEqualTo(expectedBlock(pings[0], pings[1]));
    assertThat(packer.nextBlock()).isEqualTo(expectedBlock(pings[2]));
  }

  @Test
  void nothingQueuedGivesACoverBlock() {
    FramePacker packer = new FramePacker(CODEC);

    assertThat(HEX.formatHex(packer.nextBlock())).isEqualTo("010000" + "00".repeat(C - 3));
    assertThat(packer.isEmpty()).isTrue();
    assertThat(packer.pollFull()).isNull();
  }

  @Test
  void blocksHandedOutBelongToTheCaller() throws BlockException {
    FramePacker packer = new FramePacker(CODEC);
    packer.add(TestFrames.ping(1));
    byte[] first = packer.nextBlock();
    Arrays.fill(first, (byte) 0xEE); // e.g. encrypted in place

    packer.add(TestFrames.ping(2));

    assertThat(packer.nextBlock()).isEqualTo(expectedBlock(TestFrames.ping(2)));
  }

  @Test
  void clearDropsEveryQueuedFrame() throws BlockException {
    FramePacker packer = new FramePacker(CODEC);
    packer.add(TestFrames.send(1, 600));
    packer.add(TestFrames.send(2, 600));

    packer.clear();

    assertThat(packer.isEmpty()).isTrue();
    assertThat(packer.queuedFrames()).isZero();
    assertThat(packer.pollFull()).isNull();
    packer.add(TestFrames.ping(3));
    assertThat(packer.nextBlock()).isEqualTo(expectedBlock(TestFrames.ping(3)));
  }
}
