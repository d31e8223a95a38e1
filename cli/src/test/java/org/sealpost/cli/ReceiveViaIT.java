package org.sealpost.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
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
import org.sealpost.client.Keystore;
import org.sealpost.client.Mailbox;
import org.sealpost.client.ReceivedMessage;
import org.sealpost.client.RelayConnection;
import org.sealpost.client.SealpostClient;
import org.sealpost.client.SealpostException;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.relay.EmbeddedRelay;

/**
 * Two-hop receive (protocol §11) from the client library and {@code sealpost receive --via},
 * against real relays over TLS + Noise: a subscriber through a first relay stays online across a
 * restart of the first relay and of the destination; the CLI drains through a circuit; an
 * unreachable first relay, an unreachable destination and a first relay that refuses are distinct
 * one-line errors with the send side's exit codes.
 */
class ReceiveViaIT {
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

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static Map<String, String> at(Map<String, String> base, int port) {
    Map<String, String> all = new java.util.HashMap<>(base);
    all.put("listen.port", Integer.toString(port));
    return all;
  }

  @Test
  void subscriberThroughAFirstRelayStaysOnlineAcrossRestartsOfBoth() throws Exception {
    int firstPort = freePort();
    int destinationPort = freePort();
    EmbeddedRelay first = EmbeddedRelay.start(firstDir, true, at(FIRST, firstPort));
    EmbeddedRelay destination =
        EmbeddedRelay.start(destinationDir, true, at(Map.of(), destinationPort));
    ClientOptions quick =
        ClientOptions.defaults().toBuilder()
            .reconnectDelays(Duration.ofMillis(100), Duration.ofMillis(500))
            .build();
    try (SealpostClient bob = SealpostClient.create(quick);
        SealpostClient alice = SealpostClient.create()) {
      RelayAddress firstAddress = first.address();
      RelayAddress destinationAddress = destination.address();
      Mailbox inbox = Await.get(bob.secure(Await.get(bob.createMailbox(destinationAddress))));
      RelayConnection circuit = Await.get(bob.connect(destinationAddress, firstAddress));
      BlockingQueue<ReceivedMessage> got = new LinkedBlockingQueue<>();
      Await.get(circuit.subscribe(inbox, got::add));
      var aliceId = alice.newIdentity();

      Await.get(alice.send(inbox.address(), "one".getBytes(UTF_8), aliceId));
      assertThat(text(got.poll(30, TimeUnit.SECONDS))).isEqualTo("one");

      first.close();
      first = EmbeddedRelay.start(firstDir, true, at(FIRST, firstPort));
      assertThat(first.address()).isEqualTo(firstAddress);
      Await.get(alice.send(inbox.address(), "two".getBytes(UTF_8), aliceId));
      assertThat(text(got.poll(30, TimeUnit.SECONDS)))
          .as("after the first relay restarted")
          .isEqualTo("two");

      destination.close();
      destination = EmbeddedRelay.start(destinationDir, true, at(Map.of(), destinationPort));
      assertThat(destination.address()).isEqualTo(destinationAddress);
      // the sender's own shared connection reconnects on the next send
      Await.get(alice.send(inbox.address(), "three".getBytes(UTF_8), aliceId));
      assertThat(text(got.poll(30, TimeUnit.SECONDS)))
          .as("after the destination restarted")
          .isEqualTo("three");
      assertThat(got.poll(500, TimeUnit.MILLISECONDS)).as("each message once").isNull();
      circuit.close();
    } finally {
      first.close();
      destination.close();
    }
  }

  @Test
  void commandReceivesThroughAFirstRelayAndFailuresAreDistinct() throws Exception {
    EmbeddedRelay destination =
        EmbeddedRelay.start(destinationDir, true, Map.of("forward.enabled", "false"));
    try (EmbeddedRelay first = EmbeddedRelay.start(firstDir, true, FIRST);
        SealpostClient alice = SealpostClient.create()) {
      Result created = cli("mailbox", "create", destination.address().format());
      assertThat(created.code()).as(created.err()).isZero();
      Mailbox inbox = Keystore.load(home.resolve("keystore.json")).mailboxes().get("inbox");
      var aliceId = alice.newIdentity();
      Await.get(alice.send(inbox.address(), "hello".getBytes(UTF_8), aliceId));
      Await.get(alice.send(inbox.address(), "again".getBytes(UTF_8), aliceId));

      Result received = cli("receive", "--via", first.address().format());
      assertThat(received.code()).as(received.err()).isZero();
      assertThat(received.out()).contains("hello").contains("again");
      assertThat(received.err()).contains("2 messages");

      RelayAddress a = first.address();
      RelayAddress nowhere =
          RelayAddress.of(a.transport(), a.relayKey(), "127.0.0.1", freePort(), a.blockSize());
      Result noFirst = cli("receive", "--via", nowhere.format());
      assertThat(noFirst.code()).as(noFirst.err()).isEqualTo(Failures.UNREACHABLE);
      assertThat(noFirst.err().strip()).doesNotContain("\n").startsWith("error: relay unreachable");

      // the destination, which does not forward, as the first relay of a mailbox on `first`
      Result onFirst = cli("mailbox", "create", "--name", "other", a.format());
      assertThat(onFirst.code()).as(onFirst.err()).isZero();
      Result refused = cli("receive", "--via", destination.address().format(), "other");
      assertThat(refused.code()).as(refused.err()).isEqualTo(Failures.FORWARD_REFUSED);
      assertThat(refused.err().strip())
          .doesNotContain("\n")
          .startsWith("error: forwarding refused");

      // a first relay that works, a destination nobody can reach
      RelayAddress dead =
          RelayAddress.of(
              a.transport(),
              destination.address().relayKey(),
              "127.0.0.1",
              freePort(),
              a.blockSize());
      SealpostException e = Await.failure(alice.connect(dead, a));
      assertThat(e.error()).isEqualTo(ClientError.FORWARD_UNREACHABLE);
      Keystore ks = Keystore.load(home.resolve("keystore.json"));
      ks.setFirstRelay(a);
      ks.save();
      destination.close();
      Result unreachable = cli("receive", "inbox");
      assertThat(unreachable.code()).as(unreachable.err()).isEqualTo(Failures.FORWARD_UNREACHABLE);
      assertThat(unreachable.err().strip())
          .doesNotContain("\n")
          .startsWith("error: destination unreachable");
      Result direct = cli("receive", "--direct", "inbox");
      assertThat(direct.code()).as(direct.err()).isEqualTo(Failures.UNREACHABLE);
    } finally {
      destination.close();
    }
  }

  private static String text(ReceivedMessage m) {
    assertThat(m).isNotNull();
    return new String(m.content(), UTF_8);
  }
}
