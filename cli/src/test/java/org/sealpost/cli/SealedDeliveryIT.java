package org.sealpost.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.client.ClientError;
import org.sealpost.client.ClientOptions;
import org.sealpost.client.Mailbox;
import org.sealpost.client.ReceivedMessage;
import org.sealpost.client.RelayConnection;
import org.sealpost.client.SealpostClient;
import org.sealpost.proto.crypto.SealedEnvelope;
import org.sealpost.proto.crypto.X25519KeyPair;
import org.sealpost.relay.EmbeddedRelay;

/**
 * Envelopes sealed ahead of time ({@code sendSealed}) and deliveries handed over still sealed
 * ({@code subscribeSealed}), against a real relay over TLS with RocksDB in a temporary directory.
 */
class SealedDeliveryIT {
  @TempDir Path dataDir;

  private EmbeddedRelay relay;
  private SealpostClient alice;
  private SealpostClient bob;

  @BeforeEach
  void start() throws Exception {
    relay = EmbeddedRelay.start(dataDir, true, Map.of());
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

  private byte[] sealFor(Mailbox inbox, String content, X25519KeyPair identity) throws Exception {
    int e = Await.get(alice.connection(relay.address()).info()).envelopeSize();
    return new SealedEnvelope(e)
        .seal(
            identity,
            inbox.address().sealingKey(),
            content.getBytes(UTF_8),
            alice.options().random());
  }

  @Test
  void aPresealedEnvelopeArrivesByteForByteAndOpensWithTheSealingKey() throws Exception {
    Mailbox inbox = Await.get(bob.secure(Await.get(bob.createMailbox(relay.address()))));
    X25519KeyPair aliceId = alice.newIdentity();
    byte[] envelope = sealFor(inbox, "sealed ahead", aliceId);

    Await.get(alice.connection(relay.address()).sendSealed(inbox.address(), envelope));
    BlockingQueue<byte[]> got = new LinkedBlockingQueue<>();
    RelayConnection bobs = Await.get(bob.connect(relay.address()));
    Await.get(bobs.subscribeSealed(inbox, (mailbox, bytes) -> got.add(bytes)));
    byte[] delivered = got.poll(30, TimeUnit.SECONDS);

    assertThat(delivered).isEqualTo(envelope);
    SealedEnvelope.Opened opened =
        new SealedEnvelope(envelope.length).open(inbox.sealingKey(), delivered);
    assertThat(new String(opened.content(), UTF_8)).isEqualTo("sealed ahead");
    assertThat(opened.senderIdentityKey()).isEqualTo(aliceId.publicKey());
    // acknowledged after the handler returned (the ack is in flight when it returns: wait for the
    // relay to count it, then nothing is left)
    assertThat(relayAcks(1)).isGreaterThanOrEqualTo(1);
    bobs.close();
    assertThat(Await.get(bob.get(inbox))).isEmpty();
  }

  /** Acks the relay answered Ok, read from its admin /metrics; waits up to 30 s for {@code n}. */
  private double relayAcks(int n) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    URI metrics = URI.create("http://127.0.0.1:" + relay.running().adminPort() + "/metrics");
    double acks = 0;
    for (int i = 0; i < 300 && acks < n; i++) {
      String text =
          http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString())
              .body();
      acks =
          text.lines()
              .filter(l -> l.startsWith("sealpost_commands_total{"))
              .filter(l -> l.contains("command=\"ack\"") && l.contains("outcome=\"ok\""))
              .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
              .sum();
      if (acks < n) {
        TimeUnit.MILLISECONDS.sleep(100);
      }
    }
    return acks;
  }

  @Test
  void aRetriedEnvelopeIsStoredTwiceButOpenedRecipientsSeeItOnce() throws Exception {
    Mailbox inbox = Await.get(bob.createMailbox(relay.address()));
    byte[] envelope = sealFor(inbox, "retry", alice.newIdentity());
    RelayConnection sender = alice.connection(relay.address());

    Await.get(sender.sendSealed(inbox.address(), envelope));
    Await.get(sender.sendSealed(inbox.address(), envelope));
    Await.get(sender.sendSealed(inbox.address(), sealFor(inbox, "after", alice.newIdentity())));
    BlockingQueue<ReceivedMessage> got = new LinkedBlockingQueue<>();
    Await.get(bob.subscribe(inbox, got::add));

    assertThat(new String(got.poll(30, TimeUnit.SECONDS).content(), UTF_8)).isEqualTo("retry");
    // the second copy was dropped by envelope ID; the next message is the one after it
    assertThat(new String(got.poll(30, TimeUnit.SECONDS).content(), UTF_8)).isEqualTo("after");
    assertThat(got.poll(200, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void anEnvelopeOfAnotherSizeIsRefusedBeforeSending() throws Exception {
    Mailbox inbox = Await.get(bob.createMailbox(relay.address()));
    byte[] envelope = sealFor(inbox, "x", alice.newIdentity());
    RelayConnection sender = alice.connection(relay.address());

    assertThat(Await.error(sender.sendSealed(inbox.address(), Arrays.copyOf(envelope, 4096))))
        .isEqualTo(ClientError.BAD_ENVELOPE);
    assertThat(Await.error(sender.sendSealed(inbox.address(), new byte[envelope.length + 1])))
        .isEqualTo(ClientError.BAD_ENVELOPE);
    assertThat(Await.get(bob.get(inbox))).isEmpty();
  }
}
