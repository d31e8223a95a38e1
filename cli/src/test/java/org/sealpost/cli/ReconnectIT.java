package org.sealpost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.client.ClientOptions;
import org.sealpost.client.Mailbox;
import org.sealpost.client.MessageHandler;
import org.sealpost.client.ReceivedMessage;
import org.sealpost.client.RelayConnection;
import org.sealpost.client.SealpostClient;
import org.sealpost.client.SealpostException;
import org.sealpost.proto.crypto.X25519KeyPair;
import org.sealpost.relay.EmbeddedRelay;

/**
 * A connection with many subscriptions is cut; the client reconnects by itself and resubscribes
 * every mailbox in a handful of blocks (counted on the wire), and messages flow again.
 */
class ReconnectIT {
  private static final int MAILBOXES = 2_000;

  @TempDir Path dataDir;

  @Test
  void reconnectResubscribesEveryMailboxInFewBlocks() throws Exception {
    try (EmbeddedRelay relay =
            EmbeddedRelay.start(
                // 2,000 queues in a few seconds: far beyond the relay-wide CreateQueue rate
                dataDir, false, Map.of("queue.create-rate-global", "1000000"));
        WireTap tap = new WireTap("127.0.0.1", relay.port(), true);
        SealpostClient owner = SealpostClient.create();
        SealpostClient receiver =
            SealpostClient.create(
                ClientOptions.defaults().toBuilder()
                    .reconnectDelays(Duration.ofMillis(50), Duration.ofMillis(500))
                    .build());
        SealpostClient sender = SealpostClient.create()) {
      // the relay lets one session create 16 queues at once (then 2/s): one session per 16
      List<CompletableFuture<Mailbox>> created = new ArrayList<>();
      List<RelayConnection> creators = new ArrayList<>();
      for (int i = 0; i < MAILBOXES; i++) {
        if (i % 16 == 0) {
          creators.add(Await.get(owner.connect(relay.addressVia(tap.port()))));
        }
        created.add(creators.get(creators.size() - 1).createMailbox().toCompletableFuture());
      }
      List<Mailbox> mailboxes = new ArrayList<>();
      for (CompletableFuture<Mailbox> f : created) {
        mailboxes.add(f.get(120, TimeUnit.SECONDS));
      }
      creators.forEach(RelayConnection::close);

      List<Integer> probes = List.of(0, 1, MAILBOXES / 2, MAILBOXES - 1);
      Set<Integer> delivered = ConcurrentHashMap.newKeySet();
      CountDownLatch allDelivered = new CountDownLatch(probes.size());
      RelayConnection listening = Await.get(receiver.connect(relay.addressVia(tap.port())));
      List<CompletableFuture<Void>> subscribed = new ArrayList<>();
      // why a subscription was dropped, if one is: the assertions below name it
      List<String> dropped = Collections.synchronizedList(new ArrayList<>());
      MessageHandler handler =
          new MessageHandler() {
            @Override
            public void onMessage(ReceivedMessage msg) {
              if (delivered.add(msg.content()[0] & 0xFF | (msg.content()[1] & 0xFF) << 8)) {
                allDelivered.countDown();
              }
            }

            @Override
            public void onEnd(Mailbox mailbox) {
              dropped.add("End");
            }

            @Override
            public void onSubscriptionFailed(Mailbox mailbox, SealpostException problem) {
              dropped.add("refused: " + problem.getMessage());
            }
          };
      for (Mailbox m : mailboxes) {
        subscribed.add(listening.subscribe(m, handler).toCompletableFuture());
      }
      CompletableFuture.allOf(subscribed.toArray(CompletableFuture[]::new))
          .get(120, TimeUnit.SECONDS);
      assertThat(listening.subscriptions()).isEqualTo(MAILBOXES);
      int receiverConnection = tap.connections();

      tap.dropConnections();

      // sent while the receiver is cut off: stored, then pushed after the resubscribe
      X25519KeyPair id = sender.newIdentity();
      RelayConnection direct = Await.get(sender.connect(relay.addressVia(tap.port())));
      List<CompletableFuture<Void>> sends = new ArrayList<>();
      for (int i : probes) {
        byte[] content = {(byte) i, (byte) (i >>> 8)};
        sends.add(direct.send(mailboxes.get(i).address(), content, id).toCompletableFuture());
      }
      CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

      assertThat(allDelivered.await(60, TimeUnit.SECONDS)).isTrue();
      assertThat(delivered).containsExactlyInAnyOrderElementsOf(probes);
      // after the cut: the sender's connection and the receiver's reconnection
      assertThat(tap.connections()).isEqualTo(receiverConnection + 2);
      assertThat(dropped).as("subscriptions dropped").isEmpty();
      assertThat(listening.subscriptions()).isEqualTo(MAILBOXES);
      // handshakes, the Subscribe batch, the Sends and Acks; one block per mailbox would be 2,000
      int upstream =
          upstreamMessages(tap, receiverConnection + 1)
              + upstreamMessages(tap, receiverConnection + 2);
      System.out.println(
          "blocks upstream after the cut (2 handshakes, resubscribe of "
              + MAILBOXES
              + ", "
              + probes.size()
              + " sends and acks): "
              + upstream);
      assertThat(upstream).isBetween(4, 2 + MAILBOXES / 50 + 2 * probes.size());
    }
  }

  private static int upstreamMessages(WireTap tap, int connection) {
    return (int)
        tap.observations().stream()
            .filter(o -> o.connection() == connection)
            .filter(o -> o.direction() == WireTap.Direction.TO_RELAY)
            .count();
  }
}
