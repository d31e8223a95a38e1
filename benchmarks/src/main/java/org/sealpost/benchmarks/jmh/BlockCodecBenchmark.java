package org.sealpost.benchmarks.jmh;

import com.google.protobuf.ByteString;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.sealpost.proto.codec.BlockCodec;
import org.sealpost.proto.codec.BlockException;
import org.sealpost.proto.codec.BlockWriter;
import org.sealpost.proto.v1.Frame;
import org.sealpost.proto.v1.RecipientCommand;
import org.sealpost.proto.v1.RecipientOp;
import org.sealpost.proto.v1.Send;
import org.sealpost.proto.v1.Subscribe;

/**
 * Block codec at the default B = 16359: encode (build the frames, write them into a reused buffer)
 * plus decode (parse them back), for a block with one Send of a full envelope and a block with 200
 * Subscribe recipient commands. Frames are rebuilt every operation, as a relay or client builds
 * fresh ones, so protobuf's memoized sizes do not flatter the encoder.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar BlockCodecBenchmark -f 1 -wi 3 -i 5 -w
 * 2s -r 2s}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class BlockCodecBenchmark {
  private static final int SUBSCRIBES = 200;

  private final BlockCodec codec = BlockCodec.transport(BlockCodec.DEFAULT_BLOCK_SIZE);
  private final BlockWriter writer = codec.newWriter();
  private final byte[] buffer = new byte[codec.capacity()];

  private ByteString senderId;
  private ByteString envelope;
  private ByteString[] recipientIds;
  private ByteString subscribeOp;
  private ByteString mac;
  private byte[] sendBlock;
  private byte[] subscribeBlock;

  private static ByteString filled(int length, int value) {
    byte[] b = new byte[length];
    Arrays.fill(b, (byte) value);
    return ByteString.copyFrom(b);
  }

  @Setup
  public void setUp() throws BlockException {
    senderId = filled(32, 0x22);
    envelope = filled(BlockCodec.envelopeSize(BlockCodec.DEFAULT_BLOCK_SIZE), 0x5a);
    recipientIds = new ByteString[SUBSCRIBES];
    for (int i = 0; i < SUBSCRIBES; i++) {
      recipientIds[i] = filled(32, i);
    }
    subscribeOp =
        RecipientOp.newBuilder()
            .setSubscribe(Subscribe.getDefaultInstance())
            .build()
            .toByteString();
    mac = filled(32, 0x77);
    sendBlock = encodeSend().clone();
    subscribeBlock = encodeSubscribes().clone();
  }

  private byte[] encodeSend() throws BlockException {
    Frame frame =
        Frame.newBuilder()
            .setCorrId(1)
            .setSend(Send.newBuilder().setSenderId(senderId).setEnvelope(envelope))
            .build();
    writer.begin(buffer, 0);
    if (!writer.tryAdd(frame)) {
      throw new IllegalStateException("a Send must fit into one block");
    }
    writer.finish();
    return buffer;
  }

  private byte[] encodeSubscribes() throws BlockException {
    writer.begin(buffer, 0);
    for (int i = 0; i < SUBSCRIBES; i++) {
      Frame frame =
          Frame.newBuilder()
              .setCorrId(i + 1)
              .setRecipientCommand(
                  RecipientCommand.newBuilder()
                      .setRecipientId(recipientIds[i])
                      .setCommand(subscribeOp)
                      .setMac(mac))
              .build();
      if (!writer.tryAdd(frame)) {
        throw new IllegalStateException("200 Subscribes must fit into one block");
      }
    }
    writer.finish();
    return buffer;
  }

  @Benchmark
  public List<Frame> sendEncodeDecode() throws BlockException {
    return codec.decode(encodeSend());
  }

  @Benchmark
  public List<Frame> subscribe200EncodeDecode() throws BlockException {
    return codec.decode(encodeSubscribes());
  }

  @Benchmark
  public byte[] sendEncode() throws BlockException {
    return encodeSend();
  }

  @Benchmark
  public List<Frame> sendDecode() throws BlockException {
    return codec.decode(sendBlock);
  }

  @Benchmark
  public byte[] subscribe200Encode() throws BlockException {
    return encodeSubscribes();
  }

  @Benchmark
  public List<Frame> subscribe200Decode() throws BlockException {
    return codec.decode(subscribeBlock);
  }
}
