package org.sealpost.relay.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.proto.address.Transport;
import org.sealpost.proto.v1.CircuitOpen;
import org.sealpost.proto.v1.ErrorCode;
import org.sealpost.proto.v1.Frame;
import org.sealpost.proto.v1.Ping;
import org.sealpost.proto.v1.RecipientOp;
import org.sealpost.proto.v1.SecureQueue;
import org.sealpost.proto.v1.Subscribe;
import org.sealpost.relay.protocol.ForwardIT.RecordingHandler;
import org.sealpost.relay.protocol.TestClient.QueueCreds;

/**
 * Two-hop receive (protocol §11) between real relays on loopback, over TLS and Noise: a recipient
 * on 127.0.0.2 runs its session with the destination through a circuit on the first relay —
 * Subscribe, pushes, the window and Acks end to end; the destination sees only the first relay's
 * address; the first relay's logs and metrics hold no queue ID, token or envelope; bad CircuitOpens
 * are typed errors while the first relay keeps serving.
 */
class CircuitIT {
  private static final int WINDOW = 3;

  @TempDir static Path firstDir;
  @TempDir static Path destinationDir;
  static RelayFixture first;
  static RelayFixture destination;
  static RelayAddress destinationAddress;

  @BeforeAll
  static void start() throws Exception {
    destination =
        RelayFixture.start(
            destinationDir,
            Map.of("tls.enabled", "true", "delivery.window", Integer.toString(WINDOW)),
            s -> s.withCreateRate(1000, 1000));
    first =
        RelayFixture.start(
            firstDir,
            Map.of(
                "tls.enabled",
                "true",
                "forward.private-destinations",
                "true",
                "forward.connect-timeout",
                "1s"),
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

  private static TestClient circuit(String localAddress, RelayAddress to) {
    return TestClient.throughCircuit(
        TestClient.raw(first.vertx, first.relay.port(), true, localAddress),
        first.relay.relayPublicKey(),
        first.relay.config().blockSize(),
        to.format(),
        to.relayKey());
  }

  private static RelayAddress addressAt(int port) throws Exception {
    return RelayAddress.of(
        Transport.TLS,
        destinationAddress.relayKey(),
        "127.0.0.1",
        port,
        destinationAddress.blockSize());
  }

  private static RecipientOp subscribe() {
    return RecipientOp.newBuilder().setSubscribe(Subscribe.getDefaultInstance()).build();
  }

  @Test
  void relayHelloAnnouncesCircuits() {
    try (TestClient c = connectTls(first, null)) {
      assertThat(c.hello().getCircuitsSupported()).isTrue();
    }
  }

  @Test
  void subscriberReceivesThroughTheCircuitWithTheWindowEndToEnd() throws Exception {
    try (TestClient sender = connectTls(destination, null);
        TestClient recipient = circuit("127.0.0.2", destinationAddress)) {
      assertThat(recipient.hello().getMaxWindow()).isEqualTo(WINDOW);
      QueueCreds queue = recipient.createQueue();
      assertThat(recipient.call(recipient.recipientFrame(queue, subscribe())).hasOk()).isTrue();
      List<byte[]> sent = new ArrayList<>();
      for (int i = 0; i < WINDOW + 2; i++) {
        byte[] envelope = sender.randomEnvelope();
        sent.add(envelope);
        assertThat(sender.call(sender.sendFrame(queue.senderId(), envelope, null)).hasOk())
            .isTrue();
      }
      List<Frame> pushes = new ArrayList<>();
      for (int i = 0; i < WINDOW; i++) {
        Frame push = recipient.nextPush(TestClient.TIMEOUT);
        assertThat(push).as("push %d", i).isNotNull();
        pushes.add(push);
      }
      // the window is full: nothing more comes through the circuit until an Ack goes back
      assertThat(recipient.nextPush(Duration.ofMillis(500))).isNull();
      List<byte[]> received = new ArrayList<>();
      while (received.size() < sent.size()) {
        Frame push = pushes.isEmpty() ? recipient.nextPush(TestClient.TIMEOUT) : pushes.remove(0);
        assertThat(push).isNotNull();
        received.add(recipient.open(queue, push.getMessage()));
        assertThat(
                recipient.call(recipient.ackFrame(queue, push.getMessage().getMessageId())).hasOk())
            .isTrue();
      }
      assertThat(received).containsExactlyInAnyOrderElementsOf(sent);
    }
  }

  @Test
  void destinationNeverSeesTheClientAndFirstRelayHoldsNoQueueSecrets() throws Exception {
    RecordingHandler logs = RecordingHandler.install();
    try (ConnectionRecorder recorder = new ConnectionRecorder(destination.relay.port(), false);
        TestClient sender = connectTls(destination, null);
        TestClient recipient = circuit("127.0.0.2", addressAt(recorder.port()))) {
      QueueCreds queue = recipient.createQueue();
      byte[] token = TestClient.randomBytes(16);
      RecipientOp secure =
          RecipientOp.newBuilder()
              .setSecureQueue(SecureQueue.newBuilder().setSendToken(ByteString.copyFrom(token)))
              .build();
      assertThat(recipient.call(recipient.recipientFrame(queue, secure)).hasOk()).isTrue();
      assertThat(recipient.call(recipient.recipientFrame(queue, subscribe())).hasOk()).isTrue();
      byte[] envelope = sender.randomEnvelope();
      assertThat(sender.call(sender.sendFrame(queue.senderId(), envelope, token)).hasOk()).isTrue();
      Frame push = recipient.nextPush(TestClient.TIMEOUT);
      assertThat(recipient.open(queue, push.getMessage())).isEqualTo(envelope);

      assertThat(recorder.sources())
          .isNotEmpty()
          .doesNotContain(InetAddress.getByName("127.0.0.2"));
      assertThat(logs.text()).as("the recorder sees the relays' logging").isNotEmpty();
      String seen = logs.text() + "\n" + first.scrape();
      for (byte[] secret : List.of(queue.recipientId(), queue.senderId(), token, envelope)) {
        for (String form : ForwardIT.forms(secret)) {
          assertThat(seen).doesNotContain(form);
        }
      }
      assertThat(logs.text().lines().filter(l -> l.startsWith("org.sealpost")))
          .noneMatch(l -> l.contains(Integer.toString(recorder.port())))
          .noneMatch(l -> l.contains("127.0.0.2"));
    } finally {
      logs.uninstall();
    }
  }

  @Test
  void badCircuitOpensAreTypedErrorsAndTheFirstRelayKeepsServing() throws Exception {
    int deadPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      deadPort = s.getLocalPort();
    }
    try (TestClient c = connectTls(first, "127.0.0.3")) {
      // not alone in the first block: SYNTAX, the Ping beside it is answered
      Frame open = openFrame(c, destinationAddress.format());
      Frame ping =
          Frame.newBuilder().setCorrId(c.nextCorr()).setPing(Ping.getDefaultInstance()).build();
      var replies = c.sendAll(List.of(open, ping));
      assertThat(TestClient.await(replies.get(0)).getError().getCode())
          .isEqualTo(ErrorCode.ERROR_CODE_SYNTAX);
      assertThat(TestClient.await(replies.get(1)).hasPong()).isTrue();
      // not the first block: SYNTAX
      assertError(c.call(openFrame(c, destinationAddress.format())), ErrorCode.ERROR_CODE_SYNTAX);
    }
    assertThatThrownBy(() -> circuit("127.0.0.3", addressAt(deadPort)))
        .isInstanceOfSatisfying(
            TestClient.HandshakeRefused.class,
            e -> assertThat(e.code).isEqualTo(ErrorCode.ERROR_CODE_FORWARD));
    RelayAddress otherB =
        RelayAddress.of(Transport.TLS, destinationAddress.relayKey(), "127.0.0.1", deadPort, 4096);
    assertThatThrownBy(() -> circuit("127.0.0.3", otherB))
        .isInstanceOfSatisfying(
            TestClient.HandshakeRefused.class,
            e -> assertThat(e.code).isEqualTo(ErrorCode.ERROR_CODE_SIZE));
    try (TestClient c = connectTls(first, "127.0.0.3")) {
      assertError(c.call(openFrame(c, "not an address")), ErrorCode.ERROR_CODE_SYNTAX);
    }
    try (TestClient c = connectTls(first, "127.0.0.3")) {
      assertError(c.call(openFrame(c, "x".repeat(300))), ErrorCode.ERROR_CODE_SIZE);
    }
    // a circuit whose inner handshake is garbage: the destination closes it, the client sees the
    // connection end; the first relay goes on serving
    TestClient.RawSocket raw = TestClient.raw(first.vertx, first.relay.port(), true, "127.0.0.3");
    TestClient outer =
        TestClient.connect(
            raw, first.relay.relayPublicKey(), first.relay.config().blockSize(), List.of(1));
    assertThat(outer.call(openFrame(outer, destinationAddress.format())).hasOk()).isTrue();
    raw.sink().set(raw.inbound()::add);
    raw.write(TestClient.randomBytes(first.relay.config().blockSize()));
    assertThat(raw.awaitClosed()).isTrue();
    raw.close();
    try (TestClient recipient = circuit("127.0.0.2", destinationAddress)) {
      assertThat(
              recipient
                  .call(
                      Frame.newBuilder()
                          .setCorrId(recipient.nextCorr())
                          .setPing(Ping.getDefaultInstance())
                          .build())
                  .hasPong())
          .isTrue();
    }
  }

  @Test
  void restartingTheDestinationEndsTheCircuitAndAResubscribeRecovers() throws Exception {
    Path dir = destinationDir.resolveSibling(destinationDir.getFileName() + "-restart");
    RelayFixture d =
        RelayFixture.start(
            dir,
            Map.of("tls.enabled", "true", "listen.port", Integer.toString(freePort())),
            s -> s.withCreateRate(1000, 1000));
    RelayAddress to = RelayAddress.parse(d.relay.relayAddress());
    QueueCreds queue;
    try (TestClient recipient = circuit("127.0.0.2", to)) {
      queue = recipient.createQueue();
      assertThat(recipient.call(recipient.recipientFrame(queue, subscribe())).hasOk()).isTrue();
      d.close();
      assertThat(recipient.awaitClosed()).as("the circuit ends with the destination").isTrue();
    }
    d =
        RelayFixture.start(
            dir,
            Map.of("tls.enabled", "true", "listen.port", Integer.toString(to.port())),
            s -> s.withCreateRate(1000, 1000));
    try (TestClient recipient = circuit("127.0.0.2", to);
        TestClient sender = connectTls(d, null)) {
      assertThat(recipient.call(recipient.recipientFrame(queue, subscribe())).hasOk()).isTrue();
      byte[] envelope = sender.randomEnvelope();
      assertThat(sender.call(sender.sendFrame(queue.senderId(), envelope, null)).hasOk()).isTrue();
      Frame push = recipient.nextPush(TestClient.TIMEOUT);
      assertThat(push).isNotNull();
      assertThat(recipient.open(queue, push.getMessage())).isEqualTo(envelope);
    } finally {
      d.close();
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static Frame openFrame(TestClient c, String destination) {
    return Frame.newBuilder()
        .setCorrId(c.nextCorr())
        .setCircuitOpen(CircuitOpen.newBuilder().setDestination(destination))
        .build();
  }

  private static void assertError(Frame reply, ErrorCode code) {
    assertThat(reply.hasError()).as("reply %s", reply.getBodyCase()).isTrue();
    assertThat(reply.getError().getCode()).isEqualTo(code);
  }
}
