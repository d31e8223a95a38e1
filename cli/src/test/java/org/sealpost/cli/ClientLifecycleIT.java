package org.sealpost.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.client.ClientError;
import org.sealpost.client.ClientOptions;
import org.sealpost.client.Mailbox;
import org.sealpost.client.MessageHandler;
import org.sealpost.client.ReceivedMessage;
import org.sealpost.client.RelayConnection;
import org.sealpost.client.RelayInfo;
import org.sealpost.client.SealpostClient;
import org.sealpost.client.SealpostException;
import org.sealpost.proto.address.MailboxAddress;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.proto.address.Transport;
import org.sealpost.proto.crypto.X25519KeyPair;
import org.sealpost.relay.EmbeddedRelay;

/** The client library against a real relay over TLS, with RocksDB in a temporary directory. */
class ClientLifecycleIT {
  @TempDir Path dataDir;

  private EmbeddedRelay relay;
  private SealpostClient alice;
  private SealpostClient bob;

  @BeforeEach
  void start() throws Exception {
    relay = EmbeddedRelay.start(dataDir, true, Map.of("queue.quota", "3"));
    ClientOptions options = ClientOptions.defaults().toBuilder().reconnect(false).build();
    alice = SealpostClient.create(options);
    bob = SealpostClient.create(options);
  }

  @AfterEach
  void stop() {
    alice.close();
    bob.close();
    relay.close();
  }

  @Test
  void fullLifecycleCreateSecureSendSubscribeReceiveDelete() throws Exception {
    RelayAddress address = relay.address();
    RelayInfo info = Await.get(bob.connection(address).info());
    assertThat(info.blockSize()).isEqualTo(16_359);
    assertThat(info.envelopeSize()).isEqualTo(15_847);

    Mailbox inbox = Await.get(bob.secure(Await.get(bob.createMailbox(address))));
    assertThat(inbox.isSecured()).isTrue();
    MailboxAddress to = MailboxAddress.parse(bob.mailboxAddress(inbox).format());

    X25519KeyPair aliceId = alice.newIdentity();
    Await.get(alice.send(to, "first".getBytes(UTF_8), aliceId));
    Await.get(alice.send(to, "second".getBytes(UTF_8), aliceId));

    BlockingQueue<ReceivedMessage> got = new LinkedBlockingQueue<>();
    Await.get(bob.subscribe(inbox, got::add));
    ReceivedMessage first = got.poll(30, TimeUnit.SECONDS);
    ReceivedMessage second = got.poll(30, TimeUnit.SECONDS);

    assertThat(first).isNotNull();
    assertThat(second).isNotNull();
    assertThat(new String(first.content(), UTF_8)).isEqualTo("first");
    assertThat(new String(second.content(), UTF_8)).isEqualTo("second");
    assertThat(first.senderIdentity()).isEqualTo(aliceId.publicKey());
    assertThat(first.envelopeId()).isNotEqualTo(second.envelopeId());

    // a message sent while subscribed is pushed at once
    Await.get(alice.send(to, "live".getBytes(UTF_8), aliceId));
    ReceivedMessage live = got.poll(30, TimeUnit.SECONDS);
    assertThat(live).isNotNull();
    assertThat(new String(live.content(), UTF_8)).isEqualTo("live");

    Await.get(bob.delete(inbox));
    assertThat(Await.error(alice.send(to, "gone".getBytes(UTF_8), aliceId)))
        .isEqualTo(ClientError.AUTH);
  }

  @Test
  void getTakesOneMessageAtATimeAndAcksIt() throws Exception {
    Mailbox inbox = Await.get(bob.createMailbox(relay.address()));
    X25519KeyPair aliceId = alice.newIdentity();
    Await.get(alice.send(inbox.address(), "one".getBytes(UTF_8), aliceId));

    Optional<ReceivedMessage> taken = Await.get(bob.get(inbox));
    Optional<ReceivedMessage> none = Await.get(bob.get(inbox));

    assertThat(taken).isPresent();
    assertThat(new String(taken.get().content(), UTF_8)).isEqualTo("one");
    assertThat(none).isEmpty();
  }

  // issue 13: acks need no Ok
  @Test
  void pushesAreAcknowledgedWithoutAnOkComingBack() throws Exception {
    Mailbox inbox = Await.get(bob.createMailbox(relay.address()));
    X25519KeyPair aliceId = alice.newIdentity();
    for (String m : List.of("a", "b", "c")) {
      Await.get(alice.send(inbox.address(), m.getBytes(UTF_8), aliceId));
    }
    BlockingQueue<ReceivedMessage> got = new LinkedBlockingQueue<>();
    Await.get(bob.subscribe(inbox, got::add));
    for (int i = 0; i < 3; i++) {
      assertThat(got.poll(30, TimeUnit.SECONDS)).isNotNull();
    }
    double out = relayMeter("sealpost.blocks.out");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (relayMeter("sealpost.commands", "command", "ack", "outcome", "ok") < 3) {
      assertThat(System.nanoTime()).as("three acks done").isLessThan(deadline);
      Thread.sleep(10);
    }
    // the relay deleted all three and wrote nothing back for them
    assertThat(relayMeter("sealpost.blocks.out")).isEqualTo(out);
    assertThat(Await.get(bob.get(inbox))).isEmpty();
  }

  // issue 13: Acks wait up to ClientOptions.ackHold for company
  @Test
  void heldAcksShareOneBlockThatLeavesByTheHold() throws Exception {
    Mailbox inbox = Await.get(bob.createMailbox(relay.address()));
    X25519KeyPair aliceId = alice.newIdentity();
    for (String m : List.of("a", "b", "c")) {
      Await.get(alice.send(inbox.address(), m.getBytes(UTF_8), aliceId));
    }
    long hold = 2_000;
    try (SealpostClient carol =
        SealpostClient.create(
            ClientOptions.defaults().toBuilder()
                .reconnect(false)
                .ackHold(java.time.Duration.ofMillis(hold))
                .build())) {
      Mailbox same = inbox; // a mailbox is its keys: any client holding them may subscribe
      BlockingQueue<ReceivedMessage> got = new LinkedBlockingQueue<>();
      Await.get(carol.subscribe(same, got::add));
      double in = relayMeter("sealpost.blocks.in");
      long start = System.nanoTime();
      for (int i = 0; i < 3; i++) {
        assertThat(got.poll(30, TimeUnit.SECONDS)).isNotNull();
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (relayMeter("sealpost.commands", "command", "ack", "outcome", "ok") < 3) {
        assertThat(System.nanoTime()).as("three acks done").isLessThan(deadline);
        Thread.sleep(10);
      }
      long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(tookMillis).isGreaterThanOrEqualTo(hold - 100);
      assertThat(relayMeter("sealpost.blocks.in") - in).as("one block for three Acks").isEqualTo(1);
    }
    assertThat(Await.get(bob.get(inbox))).isEmpty();
  }

  private double relayMeter(String name, String... tags) {
    var counter = relay.meterRegistry().find(name).tags(tags).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void securedMailboxRefusesASendWithoutItsToken() throws Exception {
    Mailbox inbox = Await.get(bob.secure(Await.get(bob.createMailbox(relay.address()))));
    MailboxAddress withToken = inbox.address();
    MailboxAddress withoutToken =
        MailboxAddress.of(withToken.relay(), withToken.senderId(), withToken.sealingKey(), null);

    assertThat(Await.error(alice.send(withoutToken, "x".getBytes(UTF_8), alice.newIdentity())))
        .isEqualTo(ClientError.AUTH);
    Await.get(alice.send(withToken, "x".getBytes(UTF_8), alice.newIdentity()));
  }

  @Test
  void fullQueueIsATypedErrorAndTheSubscriberIsTold() throws Exception {
    Mailbox inbox = Await.get(bob.createMailbox(relay.address()));
    CountDownLatch told = new CountDownLatch(1);
    CountDownLatch pushed = new CountDownLatch(3);
    Await.get(
        bob.subscribe(
            inbox,
            new MessageHandler() {
              @Override
              public void onMessage(ReceivedMessage message) {
                pushed.countDown();
                throw new IllegalStateException("not taken: stays on the relay");
              }

              @Override
              public void onQuotaReached(Mailbox mailbox) {
                told.countDown();
              }
            }));
    X25519KeyPair aliceId = alice.newIdentity();
    for (int i = 0; i < 3; i++) {
      Await.get(alice.send(inbox.address(), new byte[] {(byte) i}, aliceId));
    }
    assertThat(pushed.await(30, TimeUnit.SECONDS)).isTrue();

    SealpostException full = Await.failure(alice.send(inbox.address(), new byte[] {9}, aliceId));

    assertThat(full.error()).isEqualTo(ClientError.QUEUE_FULL);
    assertThat(full.getMessage()).contains("full");
    assertThat(told.await(30, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void contentLargerThanAnEnvelopeIsRefusedBeforeSending() throws Exception {
    Mailbox inbox = Await.get(bob.createMailbox(relay.address()));
    byte[] tooBig = new byte[15_847 - 117 + 1];

    assertThat(Await.error(alice.send(inbox.address(), tooBig, alice.newIdentity())))
        .isEqualTo(ClientError.TOO_LARGE);
    Await.get(alice.send(inbox.address(), new byte[15_847 - 117], alice.newIdentity()));
  }

  @Test
  void aSecondSubscriberTakesTheMailboxAndTheFirstIsToldEnd() throws Exception {
    Mailbox inbox = Await.get(bob.createMailbox(relay.address()));
    CountDownLatch ended = new CountDownLatch(1);
    RelayConnection first = Await.get(bob.connect(relay.address()));
    RelayConnection second = Await.get(bob.connect(relay.address()));
    Await.get(
        first.subscribe(
            inbox,
            new MessageHandler() {
              @Override
              public void onMessage(ReceivedMessage message) {}

              @Override
              public void onEnd(Mailbox mailbox) {
                ended.countDown();
              }
            }));
    BlockingQueue<ReceivedMessage> got = new LinkedBlockingQueue<>();
    Await.get(second.subscribe(inbox, got::add));

    assertThat(ended.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(first.subscriptions()).isZero();
    Await.get(alice.send(inbox.address(), "to the second".getBytes(UTF_8), alice.newIdentity()));
    assertThat(got.poll(30, TimeUnit.SECONDS)).isNotNull();
  }

  @Test
  void wrongRelayKeyIsRefusedAsAHandshakeFailure() throws Exception {
    RelayAddress real = relay.address();
    RelayAddress impostor =
        RelayAddress.of(
            Transport.TLS,
            alice.newIdentity().publicKey(),
            real.host(),
            real.port(),
            real.blockSize());

    SealpostException failure = Await.failure(alice.connect(impostor));

    assertThat(failure.error()).isEqualTo(ClientError.HANDSHAKE);
    assertThat(failure.getMessage()).contains("relay key");
    // the real key still works from the same client
    assertThat(Await.get(alice.connect(real))).isNotNull();
  }

  @Test
  void unreachableRelayAndWrongTransportAreToldApart() throws Exception {
    RelayAddress real = relay.address();
    int closedPort;
    try (var s = new java.net.ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    RelayAddress nobody =
        RelayAddress.of(Transport.TLS, real.relayKey(), "127.0.0.1", closedPort, real.blockSize());
    RelayAddress plainToTls =
        RelayAddress.of(Transport.PLAIN, real.relayKey(), "127.0.0.1", real.port(), 16_359);

    assertThat(Await.error(alice.connect(nobody))).isEqualTo(ClientError.UNREACHABLE);
    assertThat(Await.error(alice.connect(plainToTls))).isEqualTo(ClientError.TRANSPORT);
  }

  @Test
  void pingIsAnswered() throws Exception {
    RelayConnection c = Await.get(alice.connect(relay.address()));
    Await.get(c.ping());
    c.close();
    assertThat(Await.error(c.ping())).isEqualTo(ClientError.CLOSED);
  }
}
