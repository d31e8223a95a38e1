package org.sealpost.proto.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.TextFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sealpost.proto.v1.Frame;

/** Checks the codec and the packer against docs/test-vectors/blocks.json, in both directions. */
class BlockVectorsTest {
  private static final Path VECTORS = Path.of("..", "docs", "test-vectors", "blocks.json");
  private static final HexFormat HEX = HexFormat.of();

  private static Stream<Arguments> entries(String group) throws IOException {
    JsonNode root = new ObjectMapper().readTree(VECTORS.toFile());
    int blockSize = root.get("block_size").asInt();
    return StreamSupport.stream(root.get(group).spliterator(), false)
        .map(n -> Arguments.of(n.get("name").asText(), blockSize, n));
  }

  static Stream<Arguments> valid() throws IOException {
    return entries("valid");
  }

  static Stream<Arguments> invalid() throws IOException {
    return entries("invalid");
  }

  private static BlockCodec codec(JsonNode v, int blockSize) {
    return v.get("kind").asText().equals("handshake")
        ? BlockCodec.handshake(blockSize)
        : BlockCodec.transport(blockSize);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void encodesFramesToTheVectorBlockAndDecodesItBack(String name, int blockSize, JsonNode v)
      throws Exception {
    BlockCodec codec = codec(v, blockSize);
    assertThat(codec.capacity()).isEqualTo(v.get("capacity").asInt());
    List<Frame> frames = new ArrayList<>();
    for (JsonNode f : v.get("frames")) {
      Frame.Builder builder = Frame.newBuilder();
      TextFormat.merge(f.get("text").asText(), builder);
      Frame frame = builder.build();
      assertThat(HEX.formatHex(frame.toByteArray())).isEqualTo(f.get("protobuf_hex").asText());
      frames.add(frame);
    }
    byte[] block = HEX.parseHex(v.get("block_hex").asText());
    assertThat(HEX.formatHex(codec.encode(frames))).isEqualTo(v.get("block_hex").asText());
    FramePacker packer = new FramePacker(codec);
    for (Frame frame : frames) {
      packer.add(frame);
    }
    assertThat(HEX.formatHex(packer.nextBlock())).isEqualTo(v.get("block_hex").asText());
    assertThat(packer.isEmpty()).isTrue();
    assertThat(codec.decode(block)).containsExactlyElementsOf(frames);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void rejectsTheVectorBlockWithItsError(String name, int blockSize, JsonNode v) {
    byte[] block = HEX.parseHex(v.get("block_hex").asText());
    assertThat(block).hasSize(v.get("length").asInt());
    BlockError expected = BlockError.valueOf(v.get("error").asText());
    assertThatThrownBy(() -> codec(v, blockSize).decode(block))
        .isInstanceOfSatisfying(
            BlockException.class, e -> assertThat(e.error()).isEqualTo(expected));
  }
}
