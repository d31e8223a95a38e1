package org.sealpost.relay.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.proto.crypto.noise.NoiseInitiator;
import org.sealpost.proto.crypto.noise.NoiseSuite;
import org.sealpost.proto.crypto.noise.NoiseTransport;
import org.sealpost.proto.v1.ClientHello;
import org.sealpost.proto.v1.CreateQueue;
import org.sealpost.proto.v1.ErrorCode;
import org.sealpost.proto.v1.Forward;
import org.sealpost.proto.v1.Frame;
import org.sealpost.proto.v1.Ping;
import org.sealpost.proto.v1.RecipientCommand;
import org.sealpost.proto.v1.RecipientOp;
import org.sealpost.proto.v1.RelayForward;
import org.sealpost.proto.v1.Subscribe;

/**
 * Conformance of the relay to docs/protocol.md, checked on the bytes on the wire: blocks are built
 * and read here by hand from §3 (not with the relay's BlockCodec, which could share a mistake with
 * the relay), frames with the generated schema classes, and the WebSocket close code is read from
 * the close frame itself. Each test is one finding of the implementation written from the spec.
 */
class WireConformanceIT {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static RelayFixture fixture;
  private static int blockSize;

  @TempDir static Path dataDir;

  @BeforeAll
  static void start() {
    // forwarding off, to check what a relay that does not forward answers (§4.7)
    fixture =
        RelayFixture.start(dataDir, Map.of("forward.enabled", "false"), UnaryOperator.identity());
    blockSize = fixture.relay.config().blockSize();
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  /**
   * §3.2: a block that decrypts but does not decode gets one Error{BLOCK}, corr_id 0, then 1008.
   */
  @Test
  void anUndecodableBlockGetsOneBlockErrorThenCloseCode1008() throws Exception {
    int c = blockSize - 16;
    List<byte[]> bad = new ArrayList<>();
    byte[] padding = block(c, List.of());
    padding[c - 1] = 1;
    bad.add(padding);
    byte[] version = block(c, List.of());
    version[0] = 2;
    bad.add(version);
    byte[] zeroLength = block(c, List.of());
    zeroLength[2] = 2;
    bad.add(zeroLength);
    byte[] notProtobuf = block(c, List.of());
    notProtobuf[2] = 4;
    notProtobuf[4] = 2;
    notProtobuf[5] = (byte) 0xFF;
    notProtobuf[6] = (byte) 0xFF;
    bad.add(notProtobuf);
    for (byte[] plaintext : bad) {
      try (WireSession s = WireSession.open()) {
        s.writeBlock(plaintext);
        List<Frame> frames = s.readFrames();
        assertThat(frames).hasSize(1);
        assertThat(frames.get(0).getCorrId()).isZero();
        assertThat(frames.get(0).getError().getCode()).isEqualTo(ErrorCode.ERROR_CODE_BLOCK);
        assertThat(s.closeCode()).isEqualTo(1008);
      }
    }
  }

  /** §2.6, §1.1: a block that does not decrypt closes with 1008 and no reply. */
  @Test
  void aBlockThatDoesNotDecryptClosesWith1008AndNoReply() throws Exception {
    try (WireSession s = WireSession.open()) {
      byte[] garbage = new byte[blockSize];
      RANDOM.nextBytes(garbage);
      s.ws.writeBinaryMessage(Buffer.buffer(garbage));
      assertThat(s.closeCode()).isEqualTo(1008);
      assertThat(s.inbound).isEmpty();
    }
  }

  /** §1.1: one close code for every failure the client caused. */
  @Test
  void aFailedHandshakeAndAWrongSizeAlsoClose1008() throws Exception {
    try (WireSession s = WireSession.connectOnly()) {
      byte[] garbage = new byte[blockSize];
      RANDOM.nextBytes(garbage);
      s.ws.writeBinaryMessage(Buffer.buffer(garbage));
      assertThat(s.closeCode()).isEqualTo(1008);
    }
    try (WireSession s = WireSession.open()) {
      s.ws.writeBinaryMessage(Buffer.buffer(new byte[blockSize - 1]));
      assertThat(s.closeCode()).isEqualTo(1008);
    }
  }

  /** §4.4, §5.4: a MAC of 0, 31 or 33 bytes is AUTH, for a real queue and an unknown one alike. */
  @Test
  void aMacOfTheWrongLengthIsAuth() throws Exception {
    try (TestClient client = fixture.connect();
        WireSession s = WireSession.open()) {
      byte[] realRecipient = client.createQueue().recipientId();
      byte[] unknown = new byte[32];
      RANDOM.nextBytes(unknown);
      int corr = 1;
      List<Frame> commands = new ArrayList<>();
      for (byte[] recipient : List.of(realRecipient, unknown)) {
        for (int length : new int[] {0, 31, 33}) {
          commands.add(
              Frame.newBuilder()
                  .setCorrId(corr++)
                  .setRecipientCommand(
                      RecipientCommand.newBuilder()
                          .setRecipientId(ByteString.copyFrom(recipient))
                          .setMac(ByteString.copyFrom(new byte[length]))
                          .setCommand(
                              RecipientOp.newBuilder()
                                  .setSubscribe(Subscribe.getDefaultInstance())
                                  .build()
                                  .toByteString()))
                  .build());
        }
      }
      s.writeBlock(block(blockSize - 16, commands));
      List<Frame> replies = s.readFrames(6);
      assertThat(replies).extracting(Frame::getCorrId).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6);
      assertThat(replies)
          .extracting(f -> f.getError().getCode())
          .containsOnly(ErrorCode.ERROR_CODE_AUTH);
    }
  }

  /** §4.7: a relay with forward_supported false answers Forward and RelayForward PROHIBITED. */
  @Test
  void forwardAndRelayForwardAreProhibitedWhenForwardingIsOff() throws Exception {
    try (WireSession s = WireSession.open()) {
      assertThat(s.hello.getRelayHello().getForwardSupported()).isFalse();
      s.writeBlock(
          block(
              blockSize - 16,
              List.of(
                  Frame.newBuilder()
                      .setCorrId(1)
                      .setForward(
                          Forward.newBuilder()
                              .setDestination("sealpost://x@y:1")
                              .setSealedRequest(ByteString.copyFrom(new byte[100])))
                      .build(),
                  Frame.newBuilder()
                      .setCorrId(2)
                      .setRelayForward(
                          RelayForward.newBuilder()
                              .setSealedRequest(ByteString.copyFrom(new byte[100])))
                      .build())));
      List<Frame> replies = s.readFrames(2);
      assertThat(replies).extracting(Frame::getCorrId).containsExactlyInAnyOrder(1, 2);
      assertThat(replies)
          .extracting(f -> f.getError().getCode())
          .containsOnly(ErrorCode.ERROR_CODE_PROHIBITED);
    }
  }

  /** §3.1, §4.1: replies are whole blocks of version 1, zero padding, corr_ids echoed. */
  @Test
  void repliesAreWellFormedBlocksAndEchoCorrIds() throws Exception {
    try (WireSession s = WireSession.open()) {
      s.writeBlock(
          block(
              blockSize - 16,
              List.of(
                  Frame.newBuilder().setCorrId(7).setPing(Ping.getDefaultInstance()).build(),
                  Frame.newBuilder()
                      .setCorrId(8)
                      .setCreateQueue(
                          CreateQueue.newBuilder()
                              .setRecipientDhPublic(ByteString.copyFrom(new byte[31])))
                      .build())));
      List<Frame> replies = s.readFrames(2);
      assertThat(replies).extracting(Frame::getCorrId).containsExactlyInAnyOrder(7, 8);
      assertThat(replies).anySatisfy(f -> assertThat(f.hasPong()).isTrue());
      assertThat(replies)
          .anySatisfy(f -> assertThat(f.getError().getCode()).isEqualTo(ErrorCode.ERROR_CODE_SIZE));
    }
  }

  /** A block plaintext of {@code c} bytes built by hand from §3: version, length, frames, zeros. */
  static byte[] block(int c, List<Frame> frames) {
    byte[] b = new byte[c];
    b[0] = 1;
    int pos = 3;
    for (Frame f : frames) {
      byte[] bytes = f.toByteArray();
      b[pos] = (byte) (bytes.length >> 8);
      b[pos + 1] = (byte) bytes.length;
      System.arraycopy(bytes, 0, b, pos + 2, bytes.length);
      pos += 2 + bytes.length;
    }
    int payload = pos - 3;
    b[1] = (byte) (payload >> 8);
    b[2] = (byte) payload;
    return b;
  }

  /** Reads a block plaintext by hand from §3.2, asserting each rule the relay must keep. */
  static List<Frame> parse(byte[] plaintext, int c) throws Exception {
    assertThat(plaintext).hasSize(c);
    assertThat(plaintext[0]).isEqualTo((byte) 1);
    int payload = ((plaintext[1] & 0xFF) << 8) | (plaintext[2] & 0xFF);
    assertThat(payload).isLessThanOrEqualTo(c - 3);
    for (int i = 3 + payload; i < c; i++) {
      assertThat(plaintext[i]).as("padding byte %d", i).isZero();
    }
    List<Frame> frames = new ArrayList<>();
    int pos = 3;
    while (pos < 3 + payload) {
      int length = ((plaintext[pos] & 0xFF) << 8) | (plaintext[pos + 1] & 0xFF);
      assertThat(length).isPositive();
      assertThat(pos + 2 + length).isLessThanOrEqualTo(3 + payload);
      frames.add(Frame.parseFrom(ByteString.copyFrom(plaintext, pos + 2, length)));
      pos += 2 + length;
    }
    return frames;
  }

  /** A raw WebSocket with a Noise session; records binary messages and the close code. */
  static final class WireSession implements AutoCloseable {
    final WebSocketClient client;
    final WebSocket ws;
    final LinkedBlockingQueue<byte[]> inbound = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> close = new CompletableFuture<>();
    NoiseTransport transport;
    Frame hello;

    private WireSession(WebSocketClient client, WebSocket ws) {
      this.client = client;
      this.ws = ws;
    }

    static WireSession connectOnly() {
      WebSocketClient client =
          fixture.vertx.createWebSocketClient(
              new WebSocketClientOptions().setMaxFrameSize(70_000).setMaxMessageSize(70_000));
      WebSocket ws =
          TestClient.await(
              client.connect(
                  new WebSocketConnectOptions()
                      .setHost("127.0.0.1")
                      .setPort(fixture.relay.port())
                      .setURI("/v1")));
      WireSession s = new WireSession(client, ws);
      ws.frameHandler(s::onFrame);
      ws.closeHandler(
          v -> s.close.complete(ws.closeStatusCode() == null ? -1 : (int) ws.closeStatusCode()));
      return s;
    }

    static WireSession open() throws Exception {
      WireSession s = connectOnly();
      NoiseInitiator initiator =
          new NoiseInitiator(
              fixture.relay.relayPublicKey(), blockSize, NoiseSuite.PRODUCTION, RANDOM);
      byte[] payload =
          block(
              blockSize - 48,
              List.of(
                  Frame.newBuilder()
                      .setClientHello(ClientHello.newBuilder().addVersions(1))
                      .build()));
      s.ws.writeBinaryMessage(Buffer.buffer(initiator.writeHandshake1(payload)));
      byte[] message2 = s.inbound.poll(10, TimeUnit.SECONDS);
      assertThat(message2).isNotNull().hasSize(blockSize);
      List<Frame> frames = parse(initiator.readHandshake2(message2), blockSize - 48);
      assertThat(frames).hasSize(1);
      s.hello = frames.get(0);
      s.transport = initiator.transport();
      return s;
    }

    private void onFrame(WebSocketFrame frame) {
      if (frame.isClose()) {
        Buffer data = frame.binaryData();
        close.complete(data.length() >= 2 ? data.getUnsignedShort(0) : -1);
      } else if (frame.isBinary()) {
        inbound.add(frame.binaryData().getBytes());
      }
    }

    void writeBlock(byte[] plaintext) {
      ws.writeBinaryMessage(Buffer.buffer(transport.encrypt(plaintext)));
    }

    /** The frames of the next block. */
    List<Frame> readFrames() throws Exception {
      byte[] block = inbound.poll(10, TimeUnit.SECONDS);
      assertThat(block).as("a block from the relay").isNotNull().hasSize(blockSize);
      return parse(transport.decrypt(block), blockSize - 16);
    }

    /** Frames from as many blocks as it takes to have {@code n}. */
    List<Frame> readFrames(int n) throws Exception {
      List<Frame> frames = new ArrayList<>();
      while (frames.size() < n) {
        frames.addAll(readFrames());
      }
      return frames;
    }

    int closeCode() throws Exception {
      return close.get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
      ws.close();
      client.close();
    }
  }
}
