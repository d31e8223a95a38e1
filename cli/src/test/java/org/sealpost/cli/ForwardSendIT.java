package org.sealpost.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.client.ClientError;
import org.sealpost.client.Keystore;
import org.sealpost.client.Mailbox;
import org.sealpost.client.ReceivedMessage;
import org.sealpost.client.SealpostClient;
import org.sealpost.client.SealpostException;
import org.sealpost.proto.address.MailboxAddress;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.proto.crypto.X25519KeyPair;
import org.sealpost.relay.EmbeddedRelay;

/**
 * Two-hop sending from the client library and the {@code sealpost send --via} command, against real
 * relays over TLS + Noise: delivery through a first relay, and the distinct failures and exit codes
 * for an unreachable first relay, an unreachable destination and a first relay that does not
 * forward.
 */
class ForwardSendIT {
  private static final Map<String, String> FIRST =
      Map.of("forward.private-destinations", "true", "forward.connect-timeout", "1s");

  @TempDir Path firstDir;
  @TempDir Path destinationDir;
  @TempDir Path home;

  record Result(int code, String out, String err) {}

  private Result cli(String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--keystore";
    all[args.length + 1] = home.resolve("keystore.json").toString();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = SealpostCli.execute(all, new PrintWriter(out), new PrintWriter(err));
    return new Result(code, out.toString(), err.toString());
  }

  private static int closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void libraryAndCommandSendThroughAFirstRelay() throws Exception {
    try (EmbeddedRelay first = EmbeddedRelay.start(firstDir, true, FIRST);
        EmbeddedRelay destination = EmbeddedRelay.start(destinationDir, true, Map.of());
        SealpostClient bob = SealpostClient.create();
        SealpostClient alice = SealpostClient.create()) {
      Mailbox inbox = Await.get(bob.secure(Await.get(bob.createMailbox(destination.address()))));
      BlockingQueue<ReceivedMessage> got = new LinkedBlockingQueue<>();
      Await.get(bob.subscribe(inbox, got::add));
      X25519KeyPair aliceId = alice.newIdentity();

      Await.get(alice.send(inbox.address(), "two hops".getBytes(UTF_8), aliceId, first.address()));
      ReceivedMessage m = got.poll(30, TimeUnit.SECONDS);
      assertThat(m).isNotNull();
      assertThat(new String(m.content(), UTF_8)).isEqualTo("two hops");
      assertThat(m.senderIdentity()).isEqualTo(aliceId.publicKey());

      Result sent = cli("send", "--via", first.address().format(), inbox.address().format(), "hi");
      assertThat(sent.code()).as(sent.err()).isZero();
      assertThat(sent.out()).contains("via " + first.address().authority());
      assertThat(new String(got.poll(30, TimeUnit.SECONDS).content(), UTF_8)).isEqualTo("hi");

      // the keystore's default first relay, and --direct past it
      assertThat(
              cli(
                      "send",
                      "--via",
                      first.address().format(),
                      "--save-via",
                      inbox.address().format(),
                      "a")
                  .code())
          .isZero();
      assertThat(Keystore.load(home.resolve("keystore.json")).firstRelay())
          .contains(first.address());
      Result byDefault = cli("send", inbox.address().format(), "b");
      assertThat(byDefault.out()).contains("via " + first.address().authority());
      Result direct = cli("send", "--direct", inbox.address().format(), "c");
      assertThat(direct.code()).isZero();
      assertThat(direct.out()).doesNotContain("via");
      for (String text : new String[] {"a", "b", "c"}) {
        assertThat(new String(got.poll(30, TimeUnit.SECONDS).content(), UTF_8)).isEqualTo(text);
      }
    }
  }

  @Test
  void unreachableFirstRelayUnreachableDestinationAndRefusedForwardingAreDistinct()
      throws Exception {
    try (EmbeddedRelay first = EmbeddedRelay.start(firstDir, true, FIRST);
        EmbeddedRelay noForward =
            EmbeddedRelay.start(destinationDir, true, Map.of("forward.enabled", "false"));
        SealpostClient alice = SealpostClient.create()) {
      Mailbox inbox = Await.get(alice.createMailbox(noForward.address()));
      String to = inbox.address().format();
      RelayAddress firstAddress = first.address();

      RelayAddress nowhere =
          RelayAddress.of(
              firstAddress.transport(),
              firstAddress.relayKey(),
              "127.0.0.1",
              closedPort(),
              firstAddress.blockSize());
      Result noFirst = cli("send", "--via", nowhere.format(), to, "x");
      assertThat(noFirst.code()).as(noFirst.err()).isEqualTo(Failures.UNREACHABLE);
      assertThat(noFirst.err().strip()).doesNotContain("\n").startsWith("error: relay unreachable");

      // the destination (a relay that does not forward) used as first relay: refused
      MailboxAddress onFirst = Await.get(alice.createMailbox(firstAddress)).address();
      Result refused = cli("send", "--via", noForward.address().format(), onFirst.format(), "x");
      assertThat(refused.code()).as(refused.err()).isEqualTo(Failures.FORWARD_REFUSED);
      assertThat(refused.err().strip())
          .doesNotContain("\n")
          .startsWith("error: forwarding refused");

      // a mailbox on a relay nobody can reach, through a first relay that works
      MailboxAddress dead =
          MailboxAddress.of(
              RelayAddress.of(
                  firstAddress.transport(),
                  noForward.address().relayKey(),
                  "127.0.0.1",
                  closedPort(),
                  firstAddress.blockSize()),
              inbox.senderId(),
              inbox.sealingKey().publicKey(),
              null);
      Result unreachable = cli("send", "--via", firstAddress.format(), dead.format(), "x");
      assertThat(unreachable.code()).as(unreachable.err()).isEqualTo(Failures.FORWARD_UNREACHABLE);
      assertThat(unreachable.err().strip())
          .doesNotContain("\n")
          .startsWith("error: destination unreachable");

      SealpostException e =
          Await.failure(alice.send(dead, "x".getBytes(UTF_8), alice.newIdentity(), firstAddress));
      assertThat(e.error()).isEqualTo(ClientError.FORWARD_UNREACHABLE);
    }
  }
}
