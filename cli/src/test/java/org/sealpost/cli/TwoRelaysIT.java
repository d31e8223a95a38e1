package org.sealpost.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.client.Keystore;
import org.sealpost.client.Mailbox;
import org.sealpost.client.ReceivedMessage;
import org.sealpost.client.SealpostClient;
import org.sealpost.proto.crypto.X25519KeyPair;
import org.sealpost.relay.EmbeddedRelay;

/** Two independent relays at once: each person's mailbox on another relay, messages across. */
class TwoRelaysIT {
  @TempDir Path dirA;
  @TempDir Path dirB;
  @TempDir Path home;

  @Test
  void mailboxesOnTwoRelaysExchangeMessagesAcross() throws Exception {
    try (EmbeddedRelay relayA = EmbeddedRelay.start(dirA, true, Map.of());
        EmbeddedRelay relayB = EmbeddedRelay.start(dirB, false, Map.of());
        SealpostClient alice = SealpostClient.create();
        SealpostClient bob = SealpostClient.create()) {
      assertThat(relayA.address()).isNotEqualTo(relayB.address());
      Mailbox aliceInbox =
          Await.get(alice.secure(Await.get(alice.createMailbox(relayA.address()))));
      Mailbox bobInbox = Await.get(bob.secure(Await.get(bob.createMailbox(relayB.address()))));
      X25519KeyPair aliceId = alice.newIdentity();
      X25519KeyPair bobId = bob.newIdentity();

      BlockingQueue<ReceivedMessage> atAlice = new LinkedBlockingQueue<>();
      BlockingQueue<ReceivedMessage> atBob = new LinkedBlockingQueue<>();
      Await.get(alice.subscribe(aliceInbox, atAlice::add));
      Await.get(bob.subscribe(bobInbox, atBob::add));

      Await.get(alice.send(bobInbox.address(), "to bob on B".getBytes(UTF_8), aliceId));
      Await.get(bob.send(aliceInbox.address(), "to alice on A".getBytes(UTF_8), bobId));

      ReceivedMessage bobGot = atBob.poll(30, TimeUnit.SECONDS);
      ReceivedMessage aliceGot = atAlice.poll(30, TimeUnit.SECONDS);
      assertThat(bobGot).isNotNull();
      assertThat(aliceGot).isNotNull();
      assertThat(new String(bobGot.content(), UTF_8)).isEqualTo("to bob on B");
      assertThat(bobGot.senderIdentity()).isEqualTo(aliceId.publicKey());
      assertThat(new String(aliceGot.content(), UTF_8)).isEqualTo("to alice on A");
      assertThat(aliceGot.senderIdentity()).isEqualTo(bobId.publicKey());

      // credentials for both relays survive a keystore round trip and still work
      Keystore ks = Keystore.open(home.resolve("keystore.json"));
      ks.put("a", aliceInbox);
      ks.put("b", bobInbox);
      ks.save();
      Keystore loaded = Keystore.load(home.resolve("keystore.json"));
      Await.get(alice.send(loaded.mailbox("b").get().address(), "again".getBytes(UTF_8), aliceId));
      ReceivedMessage again = atBob.poll(30, TimeUnit.SECONDS);
      assertThat(again).isNotNull();
      assertThat(new String(again.content(), UTF_8)).isEqualTo("again");
    }
  }
}
