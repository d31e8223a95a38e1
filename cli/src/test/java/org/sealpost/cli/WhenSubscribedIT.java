package org.sealpost.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.sealpost.cli.TestRelays.at;
import static org.sealpost.cli.TestRelays.freePort;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.client.ClientError;
import org.sealpost.client.ClientOptions;
import org.sealpost.client.Mailbox;
import org.sealpost.client.ReceivedMessage;
import org.sealpost.client.RelayConnection;
import org.sealpost.client.SealpostClient;
import org.sealpost.relay.EmbeddedRelay;

/**
 * issue 11: {@link RelayConnection#whenSubscribed()} on a connection with subscriptions waits
 * through failed reconnect attempts (the relay is down: connection refused) and completes once the
 * relay is back and the mailbox resubscribed; closing the connection meanwhile fails it with
 * CLOSED. Before the fix it failed with the first refused attempt, and an attempt it started while
 * the reconnect timer waited ended the reconnecting for good.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WhenSubscribedIT {
  private static final ClientOptions QUICK =
      ClientOptions.defaults().toBuilder()
          .reconnectDelays(Duration.ofMillis(100), Duration.ofMillis(300))
          .build();

  @TempDir Path dataDir;

  @Test
  void waitsThroughRefusedAttemptsUntilTheRelayIsBack() throws Exception {
    int port = freePort();
    EmbeddedRelay relay = EmbeddedRelay.start(dataDir, true, at(Map.of(), port));
    try (SealpostClient bob = SealpostClient.create(QUICK);
        SealpostClient alice = SealpostClient.create()) {
      RelayConnection c = Await.get(bob.connect(relay.address()));
      Mailbox inbox = Await.get(c.createMailbox());
      BlockingQueue<ReceivedMessage> received = new LinkedBlockingQueue<>();
      Await.get(c.subscribe(inbox, received::add));

      relay.close();
      relay = null;
      awaitNoticedGone(c);
      CompletableFuture<Void> subscribed = c.whenSubscribed().toCompletableFuture();
      // several attempts at the reconnect delays (100-300 ms) are refused meanwhile
      Thread.sleep(1_500);
      assertThat(subscribed).as("still waiting while the relay is away").isNotDone();

      relay = EmbeddedRelay.start(dataDir, true, at(Map.of(), port));
      subscribed.get(60, TimeUnit.SECONDS);
      assertThat(c.subscriptions()).isEqualTo(1);
      Await.get(alice.send(inbox.address(), "back".getBytes(UTF_8), alice.newIdentity()));
      ReceivedMessage m = received.poll(30, TimeUnit.SECONDS);
      assertThat(m).as("delivered on the resubscribed session").isNotNull();
      assertThat(new String(m.content(), UTF_8)).isEqualTo("back");
      c.close();
    } finally {
      if (relay != null) {
        relay.close();
      }
    }
  }

  @Test
  void closingTheConnectionEndsTheWaitWithClosed() throws Exception {
    EmbeddedRelay relay = EmbeddedRelay.start(dataDir, true, Map.of());
    try (SealpostClient bob = SealpostClient.create(QUICK)) {
      RelayConnection c = Await.get(bob.connect(relay.address()));
      Mailbox inbox = Await.get(c.createMailbox());
      Await.get(c.subscribe(inbox, m -> {}));

      relay.close();
      relay = null;
      awaitNoticedGone(c);
      CompletableFuture<Void> subscribed = c.whenSubscribed().toCompletableFuture();
      Thread.sleep(500);
      assertThat(subscribed).isNotDone();

      c.close();
      assertThat(Await.error(subscribed)).isEqualTo(ClientError.CLOSED);
    } finally {
      if (relay != null) {
        relay.close();
      }
    }
  }

  /** Pings until one fails: the client has seen its session end (a refused attempt, at most). */
  private static void awaitNoticedGone(RelayConnection c) throws Exception {
    for (int i = 0; i < 100; i++) {
      try {
        c.ping().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException gone) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the client never noticed that the relay went away");
  }
}
