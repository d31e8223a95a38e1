package org.sealpost.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sealpost.proto.codec.BlockCodec;
import org.sealpost.proto.v1.Frame;
import org.sealpost.proto.v1.RecipientCommand;
import org.sealpost.proto.v1.RecipientOp;
import org.sealpost.proto.v1.Subscribe;

class FrameBatcherTest {
  private static final BlockCodec CODEC = BlockCodec.transport(BlockCodec.DEFAULT_BLOCK_SIZE);

  private static Frame subscribe(int corrId) {
    byte[] id = new byte[32];
    id[0] = (byte) corrId;
    byte[] mac = new byte[32];
    mac[31] = (byte) (corrId >>> 8);
    return Frame.newBuilder()
        .setCorrId(corrId)
        .setRecipientCommand(
            RecipientCommand.newBuilder()
                .setRecipientId(ByteString.copyFrom(id))
                .setCommand(
                    RecipientOp.newBuilder()
                        .setSubscribe(Subscribe.getDefaultInstance())
                        .build()
                        .toByteString())
                .setMac(ByteString.copyFrom(mac)))
        .build();
  }

  @Test
  void tenThousandSubscribesTakeTheFewestBlocksAndDecodeInOrder() throws Exception {
    FrameBatcher batcher = new FrameBatcher(CODEC);
    long bytes = 0;
    for (int i = 1; i <= 10_000; i++) {
      Frame f = subscribe(i);
      bytes += f.getSerializedSize() + BlockCodec.FRAME_HEADER_SIZE;
      batcher.add(f);
    }
    List<Frame> decoded = new ArrayList<>();
    int blocks = 0;
    while (!batcher.isEmpty()) {
      byte[] block = batcher.nextBlock();
      assertThat(block).hasSize(CODEC.capacity());
      decoded.addAll(CODEC.decode(block));
      blocks++;
    }

    long minimum =
        (bytes + CODEC.capacity() - BlockCodec.HEADER_SIZE - 1)
            / (CODEC.capacity() - BlockCodec.HEADER_SIZE);
    assertThat(blocks).isLessThanOrEqualTo((int) minimum + 1).isLessThan(60);
    assertThat(decoded).hasSize(10_000);
    for (int i = 0; i < decoded.size(); i++) {
      assertThat(decoded.get(i).getCorrId()).isEqualTo(i + 1);
    }
  }

  @Test
  void respectsTheRelaysFramesPerBlockLimit() throws Exception {
    FrameBatcher batcher = new FrameBatcher(CODEC.withMaxFrames(7));
    for (int i = 1; i <= 20; i++) {
      batcher.add(subscribe(i));
    }

    assertThat(CODEC.decode(batcher.nextBlock())).hasSize(7);
    assertThat(CODEC.decode(batcher.nextBlock())).hasSize(7);
    assertThat(CODEC.decode(batcher.nextBlock())).hasSize(6);
    assertThat(batcher.isEmpty()).isTrue();
  }

  @Test
  void anEmptyQueueGivesACoverBlock() throws Exception {
    FrameBatcher batcher = new FrameBatcher(CODEC);

    byte[] block = batcher.nextBlock();

    assertThat(block).isEqualTo(CODEC.coverBlock());
    assertThat(CODEC.decode(block)).isEmpty();
  }

  @Test
  void aFrameLargerThanABlockIsRefusedAtOnce() {
    FrameBatcher batcher = new FrameBatcher(BlockCodec.transport(1024));
    Frame huge =
        Frame.newBuilder()
            .setCorrId(1)
            .setRecipientCommand(
                RecipientCommand.newBuilder().setCommand(ByteString.copyFrom(new byte[2000])))
            .build();

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> batcher.add(huge))
        .isInstanceOf(org.sealpost.proto.codec.BlockException.class);
    assertThat(batcher.isEmpty()).isTrue();
  }
}
