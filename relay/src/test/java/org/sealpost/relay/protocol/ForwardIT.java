package org.sealpost.relay.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.proto.address.Transport;
import org.sealpost.proto.codec.TlsRecordAlignment;
import org.sealpost.proto.crypto.ForwardSeal;
import org.sealpost.proto.crypto.RandomSource;
import org.sealpost.proto.crypto.X25519KeyPair;
import org.sealpost.proto.v1.ErrorCode;
import org.sealpost.proto.v1.Forward;
import org.sealpost.proto.v1.Frame;
import org.sealpost.proto.v1.Ping;
import org.sealpost.proto.v1.RecipientOp;
import org.sealpost.proto.v1.SecureQueue;
import org.sealpost.proto.v1.Subscribe;
import org.sealpost.relay.crypto.RelayKeyRotation;
import org.sealpost.relay.process.DataDirectory;
import org.sealpost.relay.protocol.TestClient.QueueCreds;

/**
 * Two-hop sending (protocol §4.7, §9) between real relays on loopback, over TLS and Noise: a client
 * on the first relay forwards sealed Sends to a subscriber on the destination; every bad input is a
 * typed error while the first relay keeps serving; the destination never sees the client's address,
 * and the first relay's logs and metrics never hold a queue ID or a send token.
 */
class ForwardIT {
  private static final SecureRandom RANDOM = new SecureRandom();

  @TempDir static Path firstDir;
  @TempDir static Path destinationDir;
  static RelayFixture first;
  static RelayFixture destination;
  static RelayAddress destinationAddress;

  @BeforeAll
  static void start() throws Exception {
    destination =
        RelayFixture.start(
            destinationDir, Map.of("tls.enabled", "true"), s -> s.withCreateRate(1000, 1000));
    first =
        RelayFixture.start(
            firstDir,
            Map.of(
                "tls.enabled",
                "true",
                // the tests' destinations are all on loopback
                "forward.private-destinations",
                "true",
                "forward.connect-timeout",
                "1s",
                "forward.reply-timeout",
                "3s",
                "forward.destinations-per-connection",
                "3"),
            UnaryOperator.identity());
    destinationAddress = RelayAddress.parse(destination.relay.relayAddress());
  }

  @AfterAll
  static void stop() {
    if (first != null) {
      first.close();
    }
    if (destination != null) {
      destination.close();
    }
  }

  private static TestClient connectTls(RelayFixture relay, String localAddress) {
    return relay.connectTls(localAddress);
  }

  private static RelayAddress addressAt(RelayAddress of, int port) throws Exception {
    return RelayAddress.of(Transport.TLS, of.relayKey(), "127.0.0.1", port, of.blockSize());
  }

  /** Seals a Send for the destination, stamped by {@code clock}. */
  private static ForwardSeal.SealedRequest seal(RelayAddress to, Frame inner, Clock clock)
      throws Exception {
    return new ForwardSeal(to.envelopeSize())
        .seal(to.relayKey(), inner.toByteArray(), clock, RandomSource.of(RANDOM));
  }

  private static Frame forwardFrame(TestClient client, RelayAddress to, byte[] sealed) {
    return Frame.newBuilder()
        .setCorrId(client.nextCorr())
        .setForward(
            Forward.newBuilder()
                .setDestination(to.format())
                .setSealedRequest(ByteString.copyFrom(sealed)))
        .build();
  }

  private static Frame innerSend(QueueCreds queue, byte[] envelope, byte[] token, int corr) {
    org.sealpost.proto.v1.Send.Builder send =
        org.sealpost.proto.v1.Send.newBuilder()
            .setSenderId(ByteString.copyFrom(queue.senderId()))
            .setEnvelope(ByteString.copyFrom(envelope));
    if (token != null) {
      send.setSendToken(ByteString.copyFrom(token));
    }
    return Frame.newBuilder().setCorrId(corr).setSend(send).build();
  }

  private static Frame openReply(byte[] replyKey, Frame forwardReply) throws Exception {
    assertThat(forwardReply.hasForwardReply()).as("reply %s", forwardReply.getBodyCase()).isTrue();
    return Frame.parseFrom(
        ForwardSeal.openReply(
            replyKey, forwardReply.getForwardReply().getSealedReply().toByteArray()));
  }

  private static RecipientOp subscribe() {
    return RecipientOp.newBuilder().setSubscribe(Subscribe.getDefaultInstance()).build();
  }

  private static void assertError(Frame reply, ErrorCode code) {
    assertThat(reply.getBodyCase()).as("reply %s", reply).isEqualTo(Frame.BodyCase.ERROR);
    assertThat(reply.getError().getCode()).isEqualTo(code);
  }

  @Test
  void forwardedSendReachesTheSubscriberOnTheDestination() throws Exception {
    try (TestClient recipient = connectTls(destination, null);
        TestClient sender = connectTls(first, null)) {
      assertThat(sender.hello().getForwardSupported()).isTrue();
      QueueCreds queue = recipient.createQueue();
      assertThat(recipient.call(recipient.recipientFrame(queue, subscribe())).hasOk()).isTrue();
      for (int i = 0; i < 3; i++) {
        byte[] envelope = recipient.randomEnvelope();
        ForwardSeal.SealedRequest sealed =
            seal(destinationAddress, innerSend(queue, envelope, null, 77 + i), Clock.systemUTC());
        Frame reply = sender.call(forwardFrame(sender, destinationAddress, sealed.bytes()));
        Frame inner = openReply(sealed.replyKey(), reply);
        assertThat(inner.hasOk()).isTrue();
        assertThat(inner.getCorrId()).isEqualTo(77 + i);
        Frame push = recipient.nextPush(TestClient.TIMEOUT);
        assertThat(push).isNotNull();
        assertThat(recipient.open(queue, push.getMessage())).isEqualTo(envelope);
        recipient.call(recipient.ackFrame(queue, push.getMessage().getMessageId()));
      }
    }
  }

  @Test
  void innerFailuresTravelSealed() throws Exception {
    try (TestClient sender = connectTls(first, null)) {
      QueueCreds nobody =
          new QueueCreds(
              TestClient.randomBytes(32), TestClient.randomBytes(32), new byte[32], new byte[32]);
      byte[] envelope = new byte[destinationAddress.envelopeSize()];
      ForwardSeal.SealedRequest unknownQueue =
          seal(destinationAddress, innerSend(nobody, envelope, null, 5), Clock.systemUTC());
      Frame inner =
          openReply(
              unknownQueue.replyKey(),
              sender.call(forwardFrame(sender, destinationAddress, unknownQueue.bytes())));
      assertError(inner, ErrorCode.ERROR_CODE_AUTH);
      assertThat(inner.getCorrId()).isEqualTo(5);

      Frame notASend = Frame.newBuilder().setCorrId(6).setPing(Ping.getDefaultInstance()).build();
      ForwardSeal.SealedRequest ping = seal(destinationAddress, notASend, Clock.systemUTC());
      assertError(
          openReply(
              ping.replyKey(), sender.call(forwardFrame(sender, destinationAddress, ping.bytes()))),
          ErrorCode.ERROR_CODE_SYNTAX);
    }
  }

  @Test
  void badRequestsAreTypedErrorsAndNothingIsStoredTwice() throws Exception {
    try (TestClient recipient = connectTls(destination, null);
        TestClient sender = connectTls(first, null)) {
      QueueCreds queue = recipient.createQueue();
      assertThat(recipient.call(recipient.recipientFrame(queue, subscribe())).hasOk()).isTrue();
      int requestSize = new ForwardSeal(destinationAddress.envelopeSize()).requestSize();

      // wrong size: refused by the first relay, nothing sent on
      assertError(
          sender.call(forwardFrame(sender, destinationAddress, new byte[requestSize - 1])),
          ErrorCode.ERROR_CODE_SIZE);
      // a destination that is no relay address
      assertError(
          sender.call(
              Frame.newBuilder()
                  .setCorrId(sender.nextCorr())
                  .setForward(
                      Forward.newBuilder()
                          .setDestination("https://example.org/")
                          .setSealedRequest(ByteString.copyFrom(new byte[requestSize])))
                  .build()),
          ErrorCode.ERROR_CODE_SYNTAX);
      // a bad seal: the destination cannot open it
      assertError(
          sender.call(
              forwardFrame(sender, destinationAddress, TestClient.randomBytes(requestSize))),
          ErrorCode.ERROR_CODE_AUTH);
      // a stale request: sealed with a clock six minutes behind
      ForwardSeal.SealedRequest stale =
          seal(
              destinationAddress,
              innerSend(queue, recipient.randomEnvelope(), null, 1),
              Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-6)));
      assertError(
          sender.call(forwardFrame(sender, destinationAddress, stale.bytes())),
          ErrorCode.ERROR_CODE_REPLAY);

      // a replay: the first copy is stored, the second refused
      byte[] envelope = recipient.randomEnvelope();
      ForwardSeal.SealedRequest once =
          seal(destinationAddress, innerSend(queue, envelope, null, 2), Clock.systemUTC());
      assertThat(
              openReply(
                      once.replyKey(),
                      sender.call(forwardFrame(sender, destinationAddress, once.bytes())))
                  .hasOk())
          .isTrue();
      assertError(
          sender.call(forwardFrame(sender, destinationAddress, once.bytes())),
          ErrorCode.ERROR_CODE_REPLAY);
      Frame push = recipient.nextPush(TestClient.TIMEOUT);
      assertThat(recipient.open(queue, push.getMessage())).isEqualTo(envelope);
      recipient.call(recipient.ackFrame(queue, push.getMessage().getMessageId()));
      assertThat(recipient.nextPush(Duration.ofMillis(500))).as("stored twice").isNull();

      // the session still serves
      assertThat(
              sender
                  .call(
                      Frame.newBuilder()
                          .setCorrId(sender.nextCorr())
                          .setPing(Ping.getDefaultInstance())
                          .build())
                  .hasPong())
          .isTrue();
    }
  }

  @Test
  void unreachableSilentAndTooManyDestinationsAreTypedErrors() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    int requestSize = new ForwardSeal(destinationAddress.envelopeSize()).requestSize();
    try (ConnectionRecorder silent = new ConnectionRecorder(destination.relay.port(), true);
        TestClient sender = connectTls(first, null);
        TestClient other = connectTls(first, null)) {
      RelayAddress nowhere = addressAt(destinationAddress, closedPort);
      assertError(
          sender.call(forwardFrame(sender, nowhere, new byte[requestSize])),
          ErrorCode.ERROR_CODE_FORWARD);
      // a destination that accepts TCP and never answers: FORWARD within the connect deadline
      RelayAddress mute = addressAt(destinationAddress, silent.port());
      long t0 = System.nanoTime();
      assertError(
          sender.call(forwardFrame(sender, mute, new byte[requestSize])),
          ErrorCode.ERROR_CODE_FORWARD);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
      // a resting destination costs no new connection
      int attempts = silent.sources().size();
      assertError(
          sender.call(forwardFrame(sender, mute, new byte[requestSize])),
          ErrorCode.ERROR_CODE_FORWARD);
      assertThat(silent.sources()).hasSize(attempts);

      // a flood of destinations: beyond forward.destinations-per-connection (3), RATE at once
      List<Frame> flood = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        flood.add(
            forwardFrame(sender, addressAt(destinationAddress, 1 + i), new byte[requestSize]));
      }
      List<Frame> replies = sender.pipeline(flood, flood.size());
      assertThat(replies)
          .extracting(f -> f.getError().getCode())
          .contains(ErrorCode.ERROR_CODE_RATE)
          .doesNotContainNull();

      // meanwhile another connection forwards normally
      try (TestClient recipient = connectTls(destination, null)) {
        QueueCreds queue = recipient.createQueue();
        ForwardSeal.SealedRequest ok =
            seal(
                destinationAddress,
                innerSend(queue, recipient.randomEnvelope(), null, 3),
                Clock.systemUTC());
        assertThat(
                openReply(
                        ok.replyKey(),
                        other.call(forwardFrame(other, destinationAddress, ok.bytes())))
                    .hasOk())
            .isTrue();
      }
    }
  }

  @Test
  void destinationNeverSeesTheClientAndFirstRelayNeverHoldsQueueIdsOrTokens() throws Exception {
    RecordingHandler logs = RecordingHandler.install();
    try (ConnectionRecorder recorder = new ConnectionRecorder(destination.relay.port(), false);
        TestClient recipient = connectTls(destination, null);
        TestClient sender = connectTls(first, "127.0.0.2")) {
      RelayAddress viaRecorder = addressAt(destinationAddress, recorder.port());
      QueueCreds queue = recipient.createQueue();
      byte[] token = TestClient.randomBytes(16);
      RecipientOp secure =
          RecipientOp.newBuilder()
              .setSecureQueue(SecureQueue.newBuilder().setSendToken(ByteString.copyFrom(token)))
              .build();
      assertThat(recipient.call(recipient.recipientFrame(queue, secure)).hasOk()).isTrue();
      assertThat(recipient.call(recipient.recipientFrame(queue, subscribe())).hasOk()).isTrue();
      byte[] envelope = recipient.randomEnvelope();
      ForwardSeal.SealedRequest sealed =
          seal(viaRecorder, innerSend(queue, envelope, token, 9), Clock.systemUTC());
      assertThat(
              openReply(
                      sealed.replyKey(),
                      sender.call(forwardFrame(sender, viaRecorder, sealed.bytes())))
                  .hasOk())
          .isTrue();
      Frame push = recipient.nextPush(TestClient.TIMEOUT);
      assertThat(recipient.open(queue, push.getMessage())).isEqualTo(envelope);

      InetAddress client = InetAddress.getByName("127.0.0.2");
      assertThat(recorder.sources()).isNotEmpty().doesNotContain(client);

      assertThat(logs.text()).as("the recorder sees the relays' logging").isNotEmpty();
      String seen = logs.text() + "\n" + first.scrape();
      for (byte[] secret : List.of(queue.recipientId(), queue.senderId(), token, envelope)) {
        for (String form : forms(secret)) {
          assertThat(seen).doesNotContain(form);
        }
      }
      assertThat(seen).doesNotContain("127.0.0.2");
      // the relay's own log lines never name the destination (the recorder's port); the
      // libraries' debug lines may, which is why LogGuard caps them at INFO in production
      assertThat(logs.text().lines().filter(l -> l.startsWith("org.sealpost")))
          .noneMatch(l -> l.contains(Integer.toString(recorder.port())));
    } finally {
      logs.uninstall();
    }
  }

  @Test
  void manyClientsShareTheFirstRelaysFewSessions() throws Exception {
    try (ConnectionRecorder recorder = new ConnectionRecorder(destination.relay.port(), false);
        TestClient recipient = connectTls(destination, null)) {
      RelayAddress viaRecorder = addressAt(destinationAddress, recorder.port());
      QueueCreds queue = recipient.createQueue();
      List<TestClient> senders = new ArrayList<>();
      try {
        List<java.util.concurrent.CompletableFuture<Frame>> replies = new ArrayList<>();
        List<byte[]> keys = new ArrayList<>();
        for (int c = 0; c < 5; c++) {
          TestClient sender = connectTls(first, null);
          senders.add(sender);
          List<Frame> frames = new ArrayList<>();
          for (int i = 0; i < 3; i++) {
            ForwardSeal.SealedRequest sealed =
                seal(
                    viaRecorder,
                    innerSend(queue, recipient.randomEnvelope(), null, 1 + i),
                    Clock.systemUTC());
            keys.add(sealed.replyKey());
            frames.add(forwardFrame(sender, viaRecorder, sealed.bytes()));
          }
          replies.addAll(sender.sendAll(frames));
        }
        for (int i = 0; i < replies.size(); i++) {
          assertThat(openReply(keys.get(i), TestClient.await(replies.get(i))).hasOk()).isTrue();
        }
      } finally {
        senders.forEach(TestClient::close);
      }
      // 15 requests of 5 clients over at most forward.sessions-per-destination (2) sessions
      assertThat(recorder.sources()).isNotEmpty().hasSizeLessThanOrEqualTo(2);
      // invariant 3 on the relay-to-relay link: every block (handshake message 1 and each
      // RelayForward) is one TLS record of B + 8 bytes of data (JDK engine: + 33), never two
      // blocks in one record nor one block in two. (The link writes one block per event-loop
      // task, so this run does not provoke Netty's coalescing of queued writes; LinkSockets'
      // wrap size is what keeps records per block when it happens.)
      int blockRecord =
          destinationAddress.blockSize() + TlsRecordAlignment.CLIENT_FRAME_HEADER + 1 + 16 + 16;
      List<Integer> records = recorder.upstreamRecordLengths();
      assertThat(records).filteredOn(n -> n == blockRecord).hasSizeGreaterThanOrEqualTo(15 + 1);
      assertThat(records)
          .as("records other than whole blocks are small (TLS and WebSocket handshakes, close)")
          .filteredOn(n -> n != blockRecord)
          .allMatch(n -> n < 1024);
    }
  }

  @Test
  void aRestartedDestinationIsReachedAgainOnANewSession(@TempDir Path restartDir) throws Exception {
    RelayFixture target =
        RelayFixture.start(restartDir, Map.of("tls.enabled", "true"), UnaryOperator.identity());
    int port = target.relay.port();
    RelayAddress address = RelayAddress.parse(target.relay.relayAddress());
    try (TestClient sender = connectTls(first, null)) {
      TestClient recipient = connectTls(target, null);
      QueueCreds queue = recipient.createQueue();
      recipient.close();
      assertThat(forwardOnce(sender, address, queue).hasOk()).isTrue();

      target.close(); // the relay-to-relay session ends with it
      assertError(
          sender.call(
              forwardFrame(
                  sender,
                  address,
                  seal(
                          address,
                          innerSend(queue, new byte[address.envelopeSize()], null, 1),
                          Clock.systemUTC())
                      .bytes())),
          ErrorCode.ERROR_CODE_FORWARD);

      target =
          RelayFixture.start(
              restartDir,
              Map.of("tls.enabled", "true", "listen.port", Integer.toString(port)),
              UnaryOperator.identity());
      // the address rests for forward.connect-timeout (1 s) after the failure, then works again
      long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      Frame inner = null;
      while (System.nanoTime() < deadline) {
        inner = forwardOnce(sender, address, queue);
        if (inner != null && inner.hasOk()) {
          break;
        }
        Thread.sleep(200);
      }
      assertThat(inner).isNotNull();
      assertThat(inner.hasOk()).as("forward after the restart: %s", inner).isTrue();
    } finally {
      target.close();
    }
  }

  // issue 12: relay-key rotation
  @Test
  void aDestinationInAKeyRotationOpensRequestsSealedToEitherKey(@TempDir Path rotatingDir)
      throws Exception {
    RelayFixture target =
        RelayFixture.start(rotatingDir, Map.of("tls.enabled", "true"), UnaryOperator.identity());
    int port = target.relay.port();
    RelayAddress old = RelayAddress.parse(target.relay.relayAddress());
    target.close();
    byte[] successor =
        RelayKeyRotation.rotate(
            DataDirectory.inspect(rotatingDir), LocalDate.of(2031, 3, 1), RANDOM);
    RelayAddress moved = old.withRelayKey(successor);
    target =
        RelayFixture.start(
            rotatingDir,
            Map.of("tls.enabled", "true", "listen.port", Integer.toString(port)),
            UnaryOperator.identity());
    try (TestClient sender = connectTls(first, null)) {
      TestClient recipient = connectTls(target, null);
      QueueCreds queue = recipient.createQueue();
      recipient.close();
      Frame viaOld = forwardOnce(sender, old, queue);
      assertThat(viaOld).isNotNull();
      assertThat(viaOld.hasOk()).as("sealed to the old key: %s", viaOld).isTrue();
      Frame viaNew = forwardOnce(sender, moved, queue);
      assertThat(viaNew).isNotNull();
      assertThat(viaNew.hasOk()).as("sealed to the successor: %s", viaNew).isTrue();
      // sealed to a key the destination does not hold: refused as any bad seal
      RelayAddress stranger =
          old.withRelayKey(X25519KeyPair.generate(RANDOM::nextBytes).publicKey());
      ForwardSeal.SealedRequest wrong =
          seal(
              stranger, innerSend(queue, new byte[old.envelopeSize()], null, 5), Clock.systemUTC());
      assertError(sender.call(forwardFrame(sender, old, wrong.bytes())), ErrorCode.ERROR_CODE_AUTH);
    } finally {
      target.close();
    }
  }

  /** One forwarded Send; the opened inner reply, or null when the first relay answered an error. */
  private static Frame forwardOnce(TestClient sender, RelayAddress to, QueueCreds queue)
      throws Exception {
    ForwardSeal.SealedRequest sealed =
        seal(to, innerSend(queue, new byte[to.envelopeSize()], null, 4), Clock.systemUTC());
    Frame reply = sender.call(forwardFrame(sender, to, sealed.bytes()));
    return reply.hasError() ? null : openReply(sealed.replyKey(), reply);
  }

  @Test
  void theRelayWideDestinationBoundAnswersRate(@TempDir Path smallDir) throws Exception {
    try (RelayFixture small =
            RelayFixture.start(
                smallDir,
                Map.of(
                    "tls.enabled",
                    "true",
                    "forward.private-destinations",
                    "true",
                    "forward.max-destinations",
                    "1",
                    "forward.connect-timeout",
                    "1s"),
                UnaryOperator.identity());
        ConnectionRecorder silent = new ConnectionRecorder(destination.relay.port(), true);
        TestClient sender = connectTls(small, null)) {
      int requestSize = new ForwardSeal(destinationAddress.envelopeSize()).requestSize();
      // one block, processed in order: the first Forward takes the only destination slot (its
      // destination never answers the handshake), so the second, to another destination, is RATE
      List<Frame> replies =
          sender.pipeline(
              List.of(
                  forwardFrame(
                      sender, addressAt(destinationAddress, silent.port()), new byte[requestSize]),
                  forwardFrame(sender, destinationAddress, new byte[requestSize])),
              2);
      assertError(replies.get(0), ErrorCode.ERROR_CODE_FORWARD);
      assertError(replies.get(1), ErrorCode.ERROR_CODE_RATE);
      // once the slot is free again, the other destination is served (here: refuses a bad seal)
      assertError(
          sender.call(
              forwardFrame(sender, destinationAddress, TestClient.randomBytes(requestSize))),
          ErrorCode.ERROR_CODE_AUTH);
    }
  }

  @Test
  void aDestinationThatDoesNotForwardIsUnreachableForForward(@TempDir Path thirdDir)
      throws Exception {
    try (RelayFixture third =
            RelayFixture.start(
                thirdDir,
                Map.of("tls.enabled", "true", "forward.enabled", "false"),
                UnaryOperator.identity());
        TestClient sender = connectTls(first, null)) {
      RelayAddress thirdAddress = RelayAddress.parse(third.relay.relayAddress());
      ForwardSeal.SealedRequest sealed =
          seal(
              thirdAddress,
              innerSend(
                  new QueueCreds(
                      TestClient.randomBytes(32),
                      TestClient.randomBytes(32),
                      new byte[32],
                      new byte[32]),
                  new byte[thirdAddress.envelopeSize()],
                  null,
                  1),
              Clock.systemUTC());
      assertError(
          sender.call(forwardFrame(sender, thirdAddress, sealed.bytes())),
          ErrorCode.ERROR_CODE_FORWARD);
      // the first relay sent nothing: it stopped at the RelayHello without forward_supported
      assertThat(third.scrape().lines())
          .filteredOn(l -> l.startsWith("sealpost_commands_total{command=\"relay_forward\""))
          .allMatch(l -> l.endsWith(" 0.0"));
    }
  }

  static List<String> forms(byte[] secret) {
    byte[] head = java.util.Arrays.copyOf(secret, Math.min(secret.length, 12));
    return List.of(
        HexFormat.of().formatHex(head),
        HexFormat.of().withUpperCase().formatHex(head),
        Base64.getEncoder().encodeToString(head).substring(0, 12),
        Base64.getUrlEncoder().withoutPadding().encodeToString(head).substring(0, 12));
  }

  /** Every JUL record at every level while installed (the relay logs through System.Logger). */
  static final class RecordingHandler extends Handler {
    private final StringBuilder text = new StringBuilder();
    private final Level before = Logger.getLogger("").getLevel();

    static RecordingHandler install() {
      RecordingHandler h = new RecordingHandler();
      h.setLevel(Level.ALL);
      Logger.getLogger("").setLevel(Level.ALL);
      Logger.getLogger("").addHandler(h);
      return h;
    }

    void uninstall() {
      Logger.getLogger("").removeHandler(this);
      Logger.getLogger("").setLevel(before);
    }

    synchronized String text() {
      return text.toString();
    }

    @Override
    public synchronized void publish(LogRecord r) {
      text.append(r.getLoggerName()).append(' ').append(r.getMessage()).append('\n');
      if (r.getParameters() != null) {
        for (Object p : r.getParameters()) {
          text.append(p).append('\n');
        }
      }
      if (r.getThrown() != null) {
        text.append(r.getThrown()).append('\n');
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
