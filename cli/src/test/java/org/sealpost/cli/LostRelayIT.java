package org.sealpost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.client.Mailbox;
import org.sealpost.client.SealpostClient;
import org.sealpost.proto.address.MailboxAddress;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.proto.address.Transport;
import org.sealpost.relay.EmbeddedRelay;

/**
 * The {@code sealpost} command when the relay goes away: a connection lost after TCP connected
 * (mid-TLS, mid-Noise-handshake, mid-send) is reported as lost, with exit code 8; "wrong relay key"
 * is kept for a relay that refused the Noise handshake and the sealpost+ws:// hint for a TLS client
 * at a plain listener. A record-parsing proxy plays the relay that dies at a chosen block.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LostRelayIT {
  @TempDir Path dir;

  record Result(int code, String out, String err) {}

  private Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] all = java.util.Arrays.copyOf(args, args.length + 2);
    all[args.length] = "--keystore";
    all[args.length + 1] = dir.resolve("keystore.json").toString();
    int code = SealpostCli.execute(all, new PrintWriter(out), new PrintWriter(err));
    return new Result(code, out.toString(), err.toString());
  }

  /** The hint only a TLS client at a plain listener may get. */
  private static final String PLAIN_HINT = "a relay without TLS has a sealpost+ws:// address";

  private static void assertLost(Result r) {
    assertThat(r.code()).as(r.err()).isEqualTo(Failures.CONNECTION_LOST);
    assertThat(r.err().strip())
        .startsWith("error: connection to the relay at")
        .contains("was lost")
        .doesNotContain("\n")
        .doesNotContain("relay key")
        .doesNotContain(PLAIN_HINT);
  }

  /** Sends through a proxy that kills the connection before the client's n-th block record. */
  private Result sendThroughDyingProxy(EmbeddedRelay relay, IntPredicate dieBefore)
      throws Exception {
    Mailbox inbox;
    try (SealpostClient owner = SealpostClient.create()) {
      inbox = Await.get(owner.createMailbox(relay.address()));
    }
    try (TlsRecordProxy proxy =
        new TlsRecordProxy(relay.port(), relay.address().blockSize(), dieBefore)) {
      MailboxAddress via =
          MailboxAddress.of(
              relay.addressVia(proxy.port()),
              inbox.senderId(),
              inbox.sealingKey().publicKey(),
              null);
      return run("send", via.format(), "hello");
    }
  }

  @Test
  void aRelayThatDiesMidSendIsALostConnection() throws Exception {
    try (EmbeddedRelay relay = EmbeddedRelay.start(dir.resolve("relay"), true, Map.of())) {
      // block record 1 is Noise message 1; record 2 carries the Send
      assertLost(sendThroughDyingProxy(relay, n -> n == 2));
    }
  }

  @Test
  void aRelayShutDownMidSendIsALostConnection() throws Exception {
    try (EmbeddedRelay relay = EmbeddedRelay.start(dir.resolve("relay"), true, Map.of())) {
      Result r =
          sendThroughDyingProxy(
              relay,
              n -> {
                if (n == 2) {
                  // sends its sessions a WebSocket close (1001) before it stops
                  relay.close(Duration.ofSeconds(30));
                }
                return n == 2;
              });
      assertLost(r);
    }
  }

  @Test
  void aRelayThatDiesDuringTheNoiseHandshakeIsALostConnectionNotAWrongKey() throws Exception {
    try (EmbeddedRelay relay = EmbeddedRelay.start(dir.resolve("relay"), true, Map.of())) {
      assertLost(sendThroughDyingProxy(relay, n -> n == 1));
    }
  }

  /**
   * Mid-TLS, the loss is certain. Before a plain WebSocket upgrade it is not: a TLS listener closes
   * the same way when it gets plain HTTP, so that failure names both and keeps exit code 4.
   */
  @Test
  void aServerThatAcceptsAndClosesIsALostConnectionMidTls() throws Exception {
    try (ServerSocket closer = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      Thread t =
          new Thread(
              () -> {
                while (!closer.isClosed()) {
                  try {
                    closer.accept().close();
                  } catch (IOException e) {
                    return;
                  }
                }
              },
              "accept-and-close");
      t.setDaemon(true);
      t.start();
      byte[] key = new byte[32];
      RelayAddress tls =
          RelayAddress.of(Transport.TLS, key, "127.0.0.1", closer.getLocalPort(), 16_359);
      RelayAddress plain =
          RelayAddress.of(Transport.PLAIN, key, "127.0.0.1", closer.getLocalPort(), 16_359);

      Result midTls = run("mailbox", "create", tls.format());
      assertLost(midTls);
      assertThat(midTls.err()).contains("during the TLS handshake");

      Result beforeUpgrade = run("mailbox", "create", plain.format());
      assertThat(beforeUpgrade.code()).as(beforeUpgrade.err()).isEqualTo(Failures.UNREACHABLE);
      assertThat(beforeUpgrade.err().strip())
          .contains("closed the connection before the WebSocket upgrade")
          .doesNotContain("\n")
          .doesNotContain("relay key")
          .doesNotContain(PLAIN_HINT);
    }
  }

  @Test
  void aTlsClientAtAPlainListenerIsToldAboutSealpostWs() throws Exception {
    try (EmbeddedRelay plain = EmbeddedRelay.start(dir.resolve("relay"), false, Map.of())) {
      RelayAddress a = plain.address();
      RelayAddress tls =
          RelayAddress.of(Transport.TLS, a.relayKey(), a.host(), a.port(), a.blockSize());

      Result r = run("mailbox", "create", tls.format());

      assertThat(r.code()).as(r.err()).isEqualTo(Failures.UNREACHABLE);
      assertThat(r.err()).contains(PLAIN_HINT).doesNotContain("relay key");
    }
  }
}
