package org.sealpost.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.sealpost.cli.TestRelays.at;
import static org.sealpost.cli.TestRelays.freePort;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.client.ClientError;
import org.sealpost.client.ClientOptions;
import org.sealpost.client.Mailbox;
import org.sealpost.client.ReceivedMessage;
import org.sealpost.client.RelayConnection;
import org.sealpost.client.SealpostClient;
import org.sealpost.client.SealpostException;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.proto.crypto.X25519KeyPair;
import org.sealpost.relay.EmbeddedRelay;

/**
 * issue 11, three relays on loopback over TLS + Noise: a first relay F, a destination D and a third
 * relay T. The recipient creates and subscribes a mailbox on D and one on T, each through its own
 * circuit on F; the sender sends to both through F (two-hop send). Both subscribers stay online
 * across a restart of F and across one of D (the circuits are reopened by the client's normal
 * resubscribe), the T subscription is not disturbed by D's restart, and every message arrives once.
 */
class ThreeRelaysIT {
  private static final Map<String, String> FIRST =
      Map.of("forward.private-destinations", "true", "forward.connect-timeout", "1s");

  @TempDir Path firstDir;
  @TempDir Path destinationDir;
  @TempDir Path thirdDir;

  @Test
  void sendAndReceiveThroughTheFirstRelayAcrossRestartsOfFirstAndDestination() throws Exception {
    int firstPort = freePort();
    int destinationPort = freePort();
    EmbeddedRelay first = EmbeddedRelay.start(firstDir, true, at(FIRST, firstPort));
    EmbeddedRelay destination =
        EmbeddedRelay.start(destinationDir, true, at(Map.of(), destinationPort));
    ClientOptions quick =
        ClientOptions.defaults().toBuilder()
            .reconnectDelays(Duration.ofMillis(100), Duration.ofMillis(500))
            .build();
    try (EmbeddedRelay third = EmbeddedRelay.start(thirdDir, true, Map.of());
        SealpostClient bob = SealpostClient.create(quick);
        SealpostClient alice = SealpostClient.create(quick)) {
      RelayAddress f = first.address();
      RelayConnection toD = Await.get(bob.connect(destination.address(), f));
      RelayConnection toT = Await.get(bob.connect(third.address(), f));
      Mailbox onD = Await.get(toD.secure(Await.get(toD.createMailbox())));
      Mailbox onT = Await.get(toT.secure(Await.get(toT.createMailbox())));
      BlockingQueue<ReceivedMessage> fromD = new LinkedBlockingQueue<>();
      BlockingQueue<ReceivedMessage> fromT = new LinkedBlockingQueue<>();
      Await.get(toD.subscribe(onD, fromD::add));
      Await.get(toT.subscribe(onT, fromT::add));
      X25519KeyPair aliceId = alice.newIdentity();

      sendBoth(alice, aliceId, f, onD, onT, "one");
      assertThat(text(fromD)).isEqualTo("one d");
      assertThat(text(fromT)).isEqualTo("one t");

      first.close();
      first = EmbeddedRelay.start(firstDir, true, at(FIRST, firstPort));
      assertThat(first.address()).isEqualTo(f);
      sendBoth(alice, aliceId, f, onD, onT, "two");
      assertThat(text(fromD)).as("after the first relay restarted").isEqualTo("two d");
      assertThat(text(fromT)).as("after the first relay restarted").isEqualTo("two t");

      destination.close();
      destination = EmbeddedRelay.start(destinationDir, true, at(Map.of(), destinationPort));
      sendBoth(alice, aliceId, f, onD, onT, "three");
      assertThat(text(fromD)).as("after the destination restarted").isEqualTo("three d");
      assertThat(text(fromT)).as("the third relay's circuit kept going").isEqualTo("three t");

      assertThat(fromD.poll(500, TimeUnit.MILLISECONDS)).as("each message once").isNull();
      assertThat(fromT.poll(100, TimeUnit.MILLISECONDS)).as("each message once").isNull();
      toD.close();
      toT.close();
    } finally {
      first.close();
      destination.close();
    }
  }

  private static void sendBoth(
      SealpostClient alice,
      X25519KeyPair id,
      RelayAddress via,
      Mailbox onD,
      Mailbox onT,
      String text)
      throws Exception {
    send(alice, id, via, onD, text + " d");
    send(alice, id, via, onT, text + " t");
  }

  /**
   * A send that the first relay refuses at once with FORWARD is retried: after a destination was
   * unreachable (while it restarted, the circuit's reconnects tried it), the first relay refuses
   * Forwards to it for forward.connect-timeout without sending anything (ForwardPool), so a retry
   * cannot store a message twice — and the "each message once" checks would see it if it did.
   */
  private static void send(
      SealpostClient alice, X25519KeyPair id, RelayAddress via, Mailbox to, String text)
      throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        Await.get(alice.send(to.address(), text.getBytes(UTF_8), id, via));
        return;
      } catch (java.util.concurrent.ExecutionException e) {
        if (attempt == 20
            || !(e.getCause() instanceof SealpostException se)
            || se.error() != ClientError.FORWARD_UNREACHABLE) {
          throw e;
        }
        Thread.sleep(500); // the destination rests for forward.connect-timeout (1 s)
      }
    }
  }

  private static String text(BlockingQueue<ReceivedMessage> q) throws InterruptedException {
    ReceivedMessage m = q.poll(30, TimeUnit.SECONDS);
    assertThat(m).as("a message").isNotNull();
    return new String(m.content(), UTF_8);
  }
}
