package org.sealpost.relay.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sealpost.proto.codec.BlockCodec;
import org.sealpost.proto.crypto.RandomSource;
import org.sealpost.proto.crypto.X25519KeyPair;
import org.sealpost.proto.crypto.noise.NoiseInitiator;
import org.sealpost.proto.crypto.noise.NoiseResponder;
import org.sealpost.proto.crypto.noise.NoiseSuite;
import org.sealpost.proto.crypto.noise.NoiseTransport;
import org.sealpost.proto.v1.Frame;
import org.sealpost.proto.v1.Pong;
import org.sealpost.relay.metrics.RelayMetrics;
import org.sealpost.relay.transport.CloseReason;
import org.sealpost.relay.transport.Session;

/** The outbox as a thin adapter: packing is proto's FramePacker; sending is the session's. */
class OutboxTest {
  private static final int B = 1024;
  private static final BlockCodec CODEC = BlockCodec.transport(B);

  private final Vertx vertx = Vertx.vertx();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private NoiseTransport relayTransport;
  private NoiseTransport clientTransport;

  @AfterEach
  void closeVertx() {
    TestClient.await(vertx.close());
  }

  /** A session that records what the outbox hands it, in order. */
  private static final class RecordingSession implements Session {
    final Context context;
    final List<String> events = new ArrayList<>();
    final List<byte[]> blocks = new ArrayList<>();
    boolean open = true;

    RecordingSession(Context context) {
      this.context = context;
    }

    @Override
    public int blockSize() {
      return B;
    }

    @Override
    public boolean send(Buffer block) {
      blocks.add(block.getBytes());
      events.add("block");
      return true;
    }

    @Override
    public boolean writable() {
      return true;
    }

    @Override
    public int pendingOutboundBlocks() {
      return 0;
    }

    @Override
    public Context context() {
      return context;
    }

    @Override
    public void handshakeCompleted() {}

    @Override
    public void commandsStarted(int count) {}

    @Override
    public void commandsFinished(int count) {
      events.add("finished " + count);
    }

    @Override
    public void writableHandler(Runnable action) {}

    @Override
    public void close(CloseReason reason) {
      events.add("close " + reason);
    }

    @Override
    public boolean isOpen() {
      return open;
    }
  }

  private void handshake() {
    SecureRandom random = new SecureRandom();
    X25519KeyPair key = X25519KeyPair.generate(RandomSource.of(random));
    NoiseInitiator client = new NoiseInitiator(key.publicKey(), B, NoiseSuite.PRODUCTION, random);
    NoiseResponder relay = new NoiseResponder(key, B, NoiseSuite.PRODUCTION, random);
    relay.readHandshake1(client.writeHandshake1(new byte[B - 48]));
    client.readHandshake2(relay.writeHandshake2(new byte[B - 48]));
    relayTransport = relay.transport();
    clientTransport = client.transport();
  }

  private static Frame pong(int corrId) {
    return Frame.newBuilder().setCorrId(corrId).setPong(Pong.getDefaultInstance()).build();
  }

  /** Runs {@code task} as one event-loop task, then waits for the tasks it scheduled. */
  private static void onContext(Context context, Runnable task) throws Exception {
    CompletableFuture<Void> ran = new CompletableFuture<>();
    context.runOnContext(
        v -> {
          try {
            task.run();
          } catch (Throwable t) {
            ran.completeExceptionally(t);
          }
        });
    context.runOnContext(v -> context.runOnContext(w -> ran.complete(null)));
    ran.get(10, TimeUnit.SECONDS);
  }

  private double payloadBytesOut() {
    return registry
        .get(RelayMetrics.BLOCK_PAYLOAD_BYTES)
        .tag(RelayMetrics.TAG_DIRECTION, "out")
        .counter()
        .count();
  }

  @Test
  void repliesOfOneTaskShareOneBlockSentBeforeTheCommandsAreReportedFinished() throws Exception {
    handshake();
    RecordingSession session = new RecordingSession(vertx.getOrCreateContext());
    Outbox outbox =
        new Outbox(session, relayTransport, CODEC, new ProtocolMetrics(registry), Long.MAX_VALUE);

    onContext(
        session.context,
        () -> {
          for (int i = 1; i <= 3; i++) {
            outbox.add(pong(i));
            outbox.commandFinished();
          }
          assertThat(session.blocks).isEmpty(); // nothing leaves before the task ends
        });

    assertThat(session.events).containsExactly("block", "finished 3");
    byte[] plaintext = clientTransport.decrypt(session.blocks.get(0));
    assertThat(plaintext).isEqualTo(CODEC.encode(List.of(pong(1), pong(2), pong(3))));
    assertThat(payloadBytesOut()).isEqualTo(BlockCodec.payloadLength(plaintext));
  }

  @Test
  void aBlockTheNextFrameDoesNotFitIsSentAtOnce() throws Exception {
    handshake();
    RecordingSession session = new RecordingSession(vertx.getOrCreateContext());
    Outbox outbox =
        new Outbox(session, relayTransport, CODEC, new ProtocolMetrics(registry), Long.MAX_VALUE);
    List<Frame> frames = new ArrayList<>();
    for (int i = 1; i <= 300; i++) { // 6 or 7 bytes each with its prefix: two blocks
      frames.add(pong(i));
    }
    List<byte[]> expected = CODEC.encodeAll(frames);
    assertThat(expected).hasSize(2);

    onContext(
        session.context,
        () -> {
          frames.forEach(outbox::add);
          assertThat(session.blocks).hasSize(1); // the full one, within the task
        });

    assertThat(session.blocks).hasSize(2);
    for (int i = 0; i < 2; i++) {
      assertThat(clientTransport.decrypt(session.blocks.get(i))).isEqualTo(expected.get(i));
    }
    int payload =
        BlockCodec.payloadLength(expected.get(0)) + BlockCodec.payloadLength(expected.get(1));
    assertThat(payloadBytesOut()).isEqualTo(payload);
  }

  @Test
  void theSessionEndsInsteadOfSendingBeyondItsBlockLimit() throws Exception {
    handshake();
    RecordingSession session = new RecordingSession(vertx.getOrCreateContext());
    Outbox outbox = new Outbox(session, relayTransport, CODEC, new ProtocolMetrics(registry), 1);

    onContext(session.context, () -> outbox.add(pong(1)));
    onContext(session.context, () -> outbox.add(pong(2)));
    onContext(session.context, () -> outbox.add(pong(3)));

    assertThat(session.events).containsExactly("block", "close " + CloseReason.SESSION_ENDED);
  }

  /** Waits until the session was handed {@code n} blocks (read on its context). */
  private static void awaitBlocks(RecordingSession session, int n) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      CompletableFuture<Integer> size = new CompletableFuture<>();
      session.context.runOnContext(v -> size.complete(session.blocks.size()));
      if (size.get(10, TimeUnit.SECONDS) >= n) {
        return;
      }
      assertThat(System.nanoTime()).as("%s blocks", n).isLessThan(deadline);
      TimeUnit.MILLISECONDS.sleep(10);
    }
  }

  @Test
  void pacedOneBlockLeavesPerTickCarryingWhatWaitsElseCover() throws Exception {
    handshake();
    RecordingSession session = new RecordingSession(vertx.getOrCreateContext());
    Outbox outbox =
        new Outbox(session, relayTransport, CODEC, new ProtocolMetrics(registry), Long.MAX_VALUE);
    onContext(session.context, () -> outbox.pace(20));
    awaitBlocks(session, 2);
    List<Frame> frames = new ArrayList<>();
    for (int i = 1; i <= 300; i++) { // two blocks' worth
      frames.add(pong(i));
    }
    int[] before = new int[1];
    onContext(
        session.context,
        () -> {
          before[0] = session.blocks.size();
          frames.forEach(outbox::add);
          outbox.commandFinished();
          outbox.flush();
          // nothing leaves outside the clock, not even a full block or an explicit flush
          assertThat(session.blocks).hasSize(before[0]);
          assertThat(outbox.writable()).isTrue(); // one block waits: room for pushes
        });
    awaitBlocks(session, before[0] + 3);
    onContext(session.context, outbox::close);

    List<byte[]> expected = CODEC.encodeAll(frames);
    List<byte[]> plaintexts = new ArrayList<>();
    for (byte[] block : session.blocks) {
      plaintexts.add(clientTransport.decrypt(block));
    }
    for (int i = 0; i < before[0]; i++) {
      assertThat(BlockCodec.payloadLength(plaintexts.get(i))).as("cover %s", i).isZero();
    }
    // the ticks after the frames were queued carry them in order (a cover may precede them if a
    // tick fired between the read of the count and the add), then cover again
    List<byte[]> after = plaintexts.subList(before[0], plaintexts.size());
    int first = BlockCodec.payloadLength(after.get(0)) == 0 ? 1 : 0;
    assertThat(after.get(first)).isEqualTo(expected.get(0));
    assertThat(after.get(first + 1)).isEqualTo(expected.get(1));
    // the reply's command is reported finished once the blocks carrying it have left
    assertThat(session.events).contains("finished 1");
    assertThat(session.events.indexOf("finished 1")).isGreaterThan(before[0] + first + 1);
  }

  @Test
  void aFlushScheduledBeforeTheSessionClosedSendsNothingAndDoesNotThrow() throws Exception {
    handshake();
    RecordingSession session = new RecordingSession(vertx.getOrCreateContext());
    Outbox outbox =
        new Outbox(session, relayTransport, CODEC, new ProtocolMetrics(registry), Long.MAX_VALUE);

    List<Throwable> unhandled = new java.util.concurrent.CopyOnWriteArrayList<>();
    session.context.exceptionHandler(unhandled::add);
    // a reply queued (its flush scheduled), then, in the same task, a block that did not decrypt
    // destroys the transport and closes the session: the flush runs after both
    onContext(
        session.context,
        () -> {
          outbox.add(pong(1));
          outbox.commandFinished();
          relayTransport.destroy();
          session.open = false;
        });
    // and a reply that comes back later, from a command still in flight
    onContext(session.context, () -> outbox.add(pong(2)));

    assertThat(unhandled).isEmpty();
    assertThat(session.blocks).isEmpty();
    assertThat(session.events).isEmpty();
    assertThat(outbox.writable()).isFalse();
  }

  // issue 13: small replies wait a bounded time for company

  /** A frame of about {@code bytes} bytes: a Message push carrying an envelope-sized field. */
  private static Frame push(int bytes) {
    return Frame.newBuilder()
        .setMessage(
            org.sealpost.proto.v1.Message.newBuilder()
                .setEncryptedEnvelope(com.google.protobuf.ByteString.copyFrom(new byte[bytes])))
        .build();
  }

  private Outbox coalescing(RecordingSession session, long bound) {
    return new Outbox(
        session, relayTransport, CODEC, new ProtocolMetrics(registry), Long.MAX_VALUE, bound);
  }

  private List<List<Frame>> decodeAll(RecordingSession session) throws Exception {
    List<List<Frame>> out = new ArrayList<>();
    for (byte[] block : session.blocks) {
      assertThat(block).hasSize(B);
      out.add(CODEC.decode(clientTransport.decrypt(block)));
    }
    return out;
  }

  @Test
  void smallRepliesOfTasksAFewMillisecondsApartShareOneBlockWithinTheBound() throws Exception {
    handshake();
    RecordingSession session = new RecordingSession(vertx.getOrCreateContext());
    long bound = 200;
    Outbox outbox = coalescing(session, bound);
    long start = System.nanoTime();
    onContext(
        session.context,
        () -> {
          outbox.add(pong(1));
          outbox.commandFinished();
        });
    onContext(
        session.context,
        () -> {
          outbox.add(pong(2));
          outbox.commandFinished();
        });
    assertThat(session.events).isEmpty(); // both wait for company, unreported

    awaitBlocks(session, 1);
    long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(waited).isGreaterThanOrEqualTo(bound - 5).isLessThan(bound + 2_000);
    TimeUnit.MILLISECONDS.sleep(bound + 50);
    onContext(session.context, () -> {});
    assertThat(session.events).containsExactly("block", "finished 2");
    assertThat(decodeAll(session)).containsExactly(List.of(pong(1), pong(2)));
  }

  @Test
  void aPushJoiningWaitingRepliesLeavesAtOnceWithThemInOrder() throws Exception {
    handshake();
    RecordingSession session = new RecordingSession(vertx.getOrCreateContext());
    Outbox outbox = coalescing(session, TimeUnit.MINUTES.toMillis(1));
    Frame push = push(CODEC.capacity() * 2 / 3);
    onContext(
        session.context,
        () -> {
          outbox.add(pong(1));
          outbox.commandFinished();
        });
    assertThat(session.blocks).isEmpty();
    onContext(session.context, () -> outbox.add(push));

    // well within the minute's bound: more than half full, so it is not mostly padding
    assertThat(session.events).containsExactly("block", "finished 1");
    assertThat(decodeAll(session)).containsExactly(List.of(pong(1), push));
  }

  @Test
  void aFullBlockLeavesAtOnceAndTheRestWaitsNoLongerThanTheBound() throws Exception {
    handshake();
    RecordingSession session = new RecordingSession(vertx.getOrCreateContext());
    Outbox outbox = coalescing(session, 100);
    List<Frame> frames = new ArrayList<>();
    for (int i = 1; i <= 200; i++) { // one full block and a few frames of the next
      frames.add(pong(i));
    }
    onContext(session.context, () -> frames.forEach(outbox::add));
    assertThat(session.blocks).hasSize(1);

    awaitBlocks(session, 2);
    List<Frame> received = new ArrayList<>();
    decodeAll(session).forEach(received::addAll);
    assertThat(received).isEqualTo(frames); // nothing lost, nothing reordered
  }

  @Test
  void aBlockWaitsOnlyWhileCompanyIsExpected() throws Exception {
    handshake();
    RecordingSession session = new RecordingSession(vertx.getOrCreateContext());
    Outbox outbox = coalescing(session, TimeUnit.MINUTES.toMillis(1));
    boolean[] inFlight = {true};
    outbox.companyWhen(() -> inFlight[0]);
    onContext(session.context, () -> outbox.add(pong(1)));
    assertThat(session.blocks).isEmpty(); // more is coming: it waits

    inFlight[0] = false;
    onContext(session.context, () -> outbox.add(pong(2))); // the last one: both leave now
    assertThat(decodeAll(session)).containsExactly(List.of(pong(1), pong(2)));
  }

  @Test
  void drainAndCloseEndTheWait() throws Exception {
    handshake();
    RecordingSession session = new RecordingSession(vertx.getOrCreateContext());
    Outbox outbox = coalescing(session, TimeUnit.MINUTES.toMillis(1));
    onContext(session.context, () -> outbox.add(pong(1)));
    assertThat(session.blocks).isEmpty();
    onContext(session.context, outbox::drain);
    assertThat(decodeAll(session)).containsExactly(List.of(pong(1)));

    onContext(session.context, () -> outbox.add(pong(2)));
    onContext(session.context, outbox::close);
    TimeUnit.MILLISECONDS.sleep(50);
    onContext(session.context, () -> {});
    assertThat(session.blocks).hasSize(1);
  }

  @Test
  void pacedSessionsIgnoreTheWaitAndKeepTheirClock() throws Exception {
    handshake();
    RecordingSession session = new RecordingSession(vertx.getOrCreateContext());
    Outbox outbox = coalescing(session, TimeUnit.MINUTES.toMillis(1));
    onContext(session.context, () -> outbox.pace(20));
    onContext(session.context, () -> outbox.add(pong(1)));
    awaitBlocks(session, 3);
    onContext(session.context, outbox::close);
    List<Frame> received = new ArrayList<>();
    decodeAll(session).forEach(received::addAll);
    assertThat(received).containsExactly(pong(1)); // on a tick, not after the minute
  }
}
