package org.sealpost.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.client.AddressChange;
import org.sealpost.client.ClientError;
import org.sealpost.client.Keystore;
import org.sealpost.client.Mailbox;
import org.sealpost.client.MessageHandler;
import org.sealpost.client.ReceivedMessage;
import org.sealpost.client.RelayConnection;
import org.sealpost.client.SealpostClient;
import org.sealpost.proto.address.MailboxAddress;
import org.sealpost.proto.crypto.X25519KeyPair;
import org.sealpost.relay.EmbeddedRelay;

/**
 * issue 11, moving a mailbox (protocol §7.4) against two real relays over TLS + Noise: while a
 * contact keeps writing to the old address until the sealed notice reaches it, the recipient moves
 * the mailbox to the other relay, and every message arrives exactly once at the application.
 */
class MailboxMoveIT {
  private static final int MESSAGES = 60;
  private static final int MOVE_AT = 15;

  @TempDir Path oldDir;
  @TempDir Path newDir;
  @TempDir Path home;

  record Result(int code, String out, String err) {}

  private Result cli(String... args) {
    String[] all = Arrays.copyOf(args, args.length + 2);
    all[args.length] = "--keystore";
    all[args.length + 1] = home.resolve("keystore.json").toString();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = SealpostCli.execute(all, new PrintWriter(out), new PrintWriter(err));
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void commandMovesDrainsNotifiesAndFinishes() throws Exception {
    try (EmbeddedRelay oldRelay = EmbeddedRelay.start(oldDir, true, Map.of());
        EmbeddedRelay newRelay = EmbeddedRelay.start(newDir, true, Map.of());
        SealpostClient bob = SealpostClient.create()) {
      assertThat(cli("mailbox", "create", oldRelay.address().format()).code()).isZero();
      Mailbox old = Keystore.load(home.resolve("keystore.json")).mailbox("inbox").orElseThrow();
      X25519KeyPair bobId = bob.newIdentity();
      Await.get(bob.send(old.address(), "before".getBytes(UTF_8), bobId));

      Result move = cli("mailbox", "move", "inbox", newRelay.address().format());

      assertThat(move.code()).as(move.err()).isZero();
      assertThat(move.out()).contains("before").contains("1 message taken");
      Keystore ks = Keystore.load(home.resolve("keystore.json"));
      Mailbox moved = ks.mailbox("inbox").orElseThrow();
      assertThat(moved.relay()).isEqualTo(newRelay.address());
      assertThat(move.out()).contains(moved.address().format());
      assertThat(ks.mailbox("inbox.old")).contains(old);
      assertThat(ks.movedTo("inbox.old")).contains("inbox");

      Mailbox bobInbox = Await.get(bob.secure(Await.get(bob.createMailbox(oldRelay.address()))));
      Result notify = cli("mailbox", "notify", "inbox", bobInbox.address().format());
      assertThat(notify.code()).as(notify.err()).isZero();
      var notice = Await.get(bob.get(bobInbox)).orElseThrow();
      var change = AddressChange.read(notice).orElseThrow();
      assertThat(change.replaces(old.address())).isTrue();
      assertThat(change.newAddress()).isEqualTo(moved.address());
      assertThat(ReceiveCommand.line("b", notice))
          .contains("address changed: ")
          .contains(moved.address().format());

      Await.get(bob.send(old.address(), "late".getBytes(UTF_8), bobId));
      Await.get(bob.send(moved.address(), "new".getBytes(UTF_8), bobId));
      Result received = cli("receive");
      assertThat(received.code()).as(received.err()).isZero();
      assertThat(received.out()).contains("late").contains("new");
      Await.get(bob.send(old.address(), "last".getBytes(UTF_8), bobId));

      Result finish = cli("mailbox", "move", "--finish", "inbox");

      assertThat(finish.code()).as(finish.err()).isZero();
      assertThat(finish.out()).contains("last").contains("retired 'inbox.old'");
      assertThat(Keystore.load(home.resolve("keystore.json")).mailboxes().keySet())
          .containsExactly("inbox");
      assertThat(Await.error(bob.send(old.address(), "gone".getBytes(UTF_8), bobId)))
          .isEqualTo(ClientError.AUTH);
    }
  }

  @Test
  void everyMessageArrivesOnceWhileTheSenderLearnsTheNewAddress() throws Exception {
    try (EmbeddedRelay oldRelay = EmbeddedRelay.start(oldDir, true, Map.of());
        EmbeddedRelay newRelay = EmbeddedRelay.start(newDir, true, Map.of());
        SealpostClient alice = SealpostClient.create();
        SealpostClient bob = SealpostClient.create()) {
      Mailbox old = Await.get(alice.secure(Await.get(alice.createMailbox(oldRelay.address()))));
      Mailbox bobInbox = Await.get(bob.secure(Await.get(bob.createMailbox(oldRelay.address()))));
      X25519KeyPair aliceId = alice.newIdentity();
      X25519KeyPair bobId = bob.newIdentity();

      List<String> delivered = Collections.synchronizedList(new ArrayList<>());
      CountDownLatch all = new CountDownLatch(MESSAGES);
      AtomicInteger viaOldSubscription = new AtomicInteger();
      AtomicInteger viaNew = new AtomicInteger();
      CompletableFuture<Void> bobWroteToNew = new CompletableFuture<>();
      RelayConnection oldSession = Await.get(alice.connect(oldRelay.address()));
      Await.get(
          oldSession.subscribe(
              old,
              m -> {
                record(delivered, all, m);
                viaOldSubscription.incrementAndGet();
              }));

      // Bob writes to whatever address he currently knows, and switches on a verified notice
      AtomicReference<MailboxAddress> current = new AtomicReference<>(old.address());
      AtomicInteger notices = new AtomicInteger();
      RelayConnection bobSession = Await.get(bob.connect(oldRelay.address()));
      Await.get(
          bobSession.subscribe(
              bobInbox,
              m ->
                  AddressChange.read(m)
                      .filter(c -> c.replaces(current.get()))
                      .ifPresent(
                          c -> {
                            notices.incrementAndGet();
                            current.set(c.newAddress());
                          })));
      CountDownLatch moveNow = new CountDownLatch(1);
      CountDownLatch moved = new CountDownLatch(1);
      CountDownLatch wroteAfterMove = new CountDownLatch(1);
      List<MailboxAddress> usedAfterMove = Collections.synchronizedList(new ArrayList<>());
      CompletableFuture<Void> sender =
          CompletableFuture.runAsync(
              () -> {
                try {
                  for (int i = 0; i < MESSAGES; i++) {
                    MailboxAddress to = current.get();
                    Await.get(bob.send(to, ("m" + i).getBytes(UTF_8), bobId));
                    if (i == MOVE_AT) {
                      moveNow.countDown();
                      assertThat(moved.await(60, TimeUnit.SECONDS)).isTrue();
                    } else if (i > MOVE_AT) {
                      usedAfterMove.add(to);
                      wroteAfterMove.countDown();
                    }
                  }
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });

      assertThat(moveNow.await(60, TimeUnit.SECONDS)).isTrue();
      Mailbox moved2 = Await.get(alice.move(old, newRelay.address()));
      // the old session goes away; what Bob still writes to the old address waits there
      oldSession.close();
      moved.countDown();
      assertThat(wroteAfterMove.await(60, TimeUnit.SECONDS)).isTrue();
      RelayConnection newSession = Await.get(alice.connect(newRelay.address()));
      Await.get(
          newSession.subscribe(
              moved2,
              m -> {
                record(delivered, all, m);
                viaNew.incrementAndGet();
                if (Arrays.equals(m.senderIdentity(), bobId.publicKey())) {
                  bobWroteToNew.complete(null);
                }
              }));
      Await.get(alice.notifyAddressChange(old, moved2, bobInbox.address(), aliceId, null));

      // Bob's first message on the new queue: everything he sent before is stored in the old one
      bobWroteToNew.get(60, TimeUnit.SECONDS);
      MessageHandler drained = m -> record(delivered, all, m);
      int left = Await.get(alice.retire(old, drained));
      sender.get(60, TimeUnit.SECONDS);
      assertThat(all.await(60, TimeUnit.SECONDS)).as("delivered: %s", delivered).isTrue();

      List<String> expected = new ArrayList<>();
      for (int i = 0; i < MESSAGES; i++) {
        expected.add("m" + i);
      }
      assertThat(delivered).containsExactlyInAnyOrderElementsOf(expected);
      assertThat(new HashSet<>(delivered)).hasSize(MESSAGES);
      assertThat(notices.get()).as("Bob accepted the notice once").isEqualTo(1);
      assertThat(left).as("messages written to the old address after the move").isPositive();
      assertThat(viaOldSubscription.get()).isGreaterThan(MOVE_AT);
      assertThat(viaNew.get()).isPositive();
      assertThat(usedAfterMove).contains(old.address(), moved2.address());
      assertThat(Await.error(alice.get(old)))
          .as("the old queue is gone")
          .isEqualTo(ClientError.AUTH);
      newSession.close();
      bobSession.close();
    }
  }

  private static void record(List<String> delivered, CountDownLatch all, ReceivedMessage m) {
    delivered.add(new String(m.content(), UTF_8));
    all.countDown();
  }
}
