package org.sealpost.proto.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.sealpost.proto.v1.Ack;
import org.sealpost.proto.v1.Frame;
import org.sealpost.proto.v1.Message;
import org.sealpost.proto.v1.Send;

/**
 * Bad input for the block decoder, the frame parser and the recipient-command parser: whatever the
 * bytes, the result is frames or a {@link BlockException}, never another exception, and a decode
 * allocates no more than the block it reads plus a fixed allowance per frame it may hold (frame and
 * body objects, about 550 bytes measured) — never anything sized by a declared length.
 */
class BlockCodecPropertiesTest {
  private static final int B = 1024;
  private static final int CAPACITY_OF_B = B - BlockCodec.TRANSPORT_OVERHEAD;
  private static final int MAX_FRAMES = 32;
  private static final BlockCodec CODEC = BlockCodec.transport(B).withMaxFrames(MAX_FRAMES);
  private static final int CAPACITY = CODEC.capacity();
  private static final FrameChecks CHECKS = new FrameChecks(B);

  // Per frame: protobuf's builder, message and input-stream objects. Per decode: the list and an
  // exception with its stack trace.
  private static final long PER_FRAME_ALLOWANCE = 1024;
  private static final long ALLOCATION_SLACK = 16 * 1024;
  private static final long ALLOCATION_BOUND =
      CAPACITY_OF_B + MAX_FRAMES * PER_FRAME_ALLOWANCE + ALLOCATION_SLACK;

  /** Decodes, returning null or the frames; fails on anything but a BlockException. */
  private static List<Frame> decodeTyped(byte[] block) {
    try {
      return CODEC.decode(block);
    } catch (BlockException e) {
      assertThat(e.error()).isNotNull();
      return null;
    }
  }

  private static void assertBoundedAllocation(byte[] block) throws Exception {
    decodeTyped(block); // warm: class loading and first-call costs are not the decoder's
    long allocated = AllocationMeter.allocatedBy(() -> decodeTyped(block));
    assertThat(allocated).isLessThanOrEqualTo(ALLOCATION_BOUND);
  }

  @Property(tries = 300)
  void randomBytesOfAnyLengthGiveATypedError(@ForAll @Size(max = 2 * B) byte[] bytes)
      throws Exception {
    List<Frame> frames = decodeTyped(bytes);
    if (bytes.length != CAPACITY) {
      assertThat(frames).isNull();
    }
    assertBoundedAllocation(bytes);
  }

  @Property(tries = 500)
  void wellFramedRandomPayloadsParseOrFailTyped(@ForAll("wellFramedBlocks") byte[] block)
      throws Exception {
    List<Frame> frames = decodeTyped(block);
    if (frames != null) {
      // whatever parsed, the structural checks answer with a code or pass, never throw
      for (Frame frame : frames) {
        assertThat(CHECKS.checkFromClient(frame)).isNotNull();
        assertThat(CHECKS.checkFromRelay(frame)).isNotNull();
      }
    }
    assertBoundedAllocation(block);
  }

  @Property(tries = 300)
  void truncatedOrExtendedBlocksAreWrongSize(
      @ForAll("frameLists") List<Frame> frames, @ForAll @IntRange(min = -1008, max = 64) int delta)
      throws Exception {
    if (delta == 0) {
      return;
    }
    byte[] block = CODEC.encodeAll(frames).get(0);
    byte[] resized = Arrays.copyOf(block, block.length + delta);
    try {
      CODEC.decode(resized);
      throw new AssertionError("a block of " + resized.length + " bytes was accepted");
    } catch (BlockException e) {
      assertThat(e.error()).isEqualTo(BlockError.WRONG_SIZE);
    }
  }

  @Property(tries = 500)
  void bitFlippedBlocksDecodeOrFailTyped(
      @ForAll("frameLists") List<Frame> frames,
      @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 0, max = 8 * 1008 - 1) Integer> bits)
      throws Exception {
    byte[] block = CODEC.encodeAll(frames).get(0);
    for (int bit : bits) {
      block[bit / 8] ^= (byte) (1 << (bit % 8));
    }
    decodeTyped(block);
    assertBoundedAllocation(block);
  }

  @Property(tries = 300)
  void everyBatchRoundTrips(@ForAll("frameBatches") List<Frame> frames) throws BlockException {
    List<Frame> decoded = new ArrayList<>();
    for (byte[] block : CODEC.encodeAll(frames)) {
      assertThat(block).hasSize(CAPACITY);
      decoded.addAll(CODEC.decode(block));
    }
    assertThat(decoded).containsExactlyElementsOf(frames);
  }

  @Property(tries = 300)
  void randomRecipientCommandBytesParseOrFailTyped(@ForAll @Size(max = 300) byte[] command) {
    try {
      BlockCodec.parseRecipientOp(ByteString.copyFrom(command));
    } catch (BlockException e) {
      assertThat(e.error()).isEqualTo(BlockError.MALFORMED_COMMAND);
    }
  }

  /** Valid header, frame lengths that fit, random frame bytes, zero padding. */
  @Provide
  Arbitrary<byte[]> wellFramedBlocks() {
    Arbitrary<byte[]> frameBytes =
        Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(120);
    return frameBytes
        .list()
        .ofMaxSize(12)
        .map(
            list -> {
              byte[] block = new byte[CAPACITY];
              block[0] = BlockCodec.VERSION;
              int pos = BlockCodec.HEADER_SIZE;
              for (byte[] f : list) {
                BlockCodec.writeUint16(block, pos, f.length);
                System.arraycopy(f, 0, block, pos + 2, f.length);
                pos += 2 + f.length;
              }
              BlockCodec.writeUint16(block, 1, pos - BlockCodec.HEADER_SIZE);
              return block;
            });
  }

  @Provide
  Arbitrary<List<Frame>> frameLists() {
    return frames().list().ofMinSize(1).ofMaxSize(3);
  }

  @Provide
  Arbitrary<List<Frame>> frameBatches() {
    return frames().list().ofMaxSize(60);
  }

  private static Arbitrary<ByteString> bytes(int min, int max) {
    return Arbitraries.bytes()
        .array(byte[].class)
        .ofMinSize(min)
        .ofMaxSize(max)
        .map(ByteString::copyFrom);
  }

  private static Arbitrary<Frame> frames() {
    Arbitrary<Integer> corrIds = Arbitraries.integers().between(1, Integer.MAX_VALUE);
    Arbitrary<Frame> pings = corrIds.map(TestFrames::ping);
    Arbitrary<Frame> subscribes = corrIds.map(TestFrames::subscribe);
    Arbitrary<Frame> sends =
        Combinators.combine(corrIds, bytes(0, 40), bytes(0, 300))
            .as(
                (c, id, env) ->
                    Frame.newBuilder()
                        .setCorrId(c)
                        .setSend(Send.newBuilder().setSenderId(id).setEnvelope(env))
                        .build());
    Arbitrary<Frame> acks =
        Combinators.combine(corrIds, bytes(32, 32), bytes(12, 12))
            .as(
                (c, r, m) ->
                    Frame.newBuilder()
                        .setCorrId(c)
                        .setAck(Ack.newBuilder().setRecipientId(r).setMessageId(m))
                        .build());
    Arbitrary<Frame> pushes =
        Combinators.combine(bytes(32, 32), bytes(12, 12), bytes(0, 200))
            .as(
                (r, m, e) ->
                    Frame.newBuilder()
                        .setMessage(
                            Message.newBuilder()
                                .setRecipientId(r)
                                .setMessageId(m)
                                .setEncryptedEnvelope(e))
                        .build());
    return Arbitraries.oneOf(pings, subscribes, sends, acks, pushes);
  }
}
