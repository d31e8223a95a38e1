package org.sealpost.cli.audit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.cli.crash.RelayProcess;
import org.sealpost.client.ClientError;
import org.sealpost.client.ClientOptions;
import org.sealpost.client.Mailbox;
import org.sealpost.client.ReceivedMessage;
import org.sealpost.client.RelayConnection;
import org.sealpost.client.SealpostClient;
import org.sealpost.client.SealpostException;
import org.sealpost.proto.address.MailboxAddress;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.proto.crypto.X25519KeyPair;
import org.sealpost.relay.audit.LeakScanner;
import org.sealpost.relay.audit.SourceAddressProxy;
import org.sealpost.relay.audit.VerboseLogging;

/**
 * DESIGN §1 invariant 4: a relay child JVM with java.util.logging at ALL (console and a log file)
 * serves a full workload through the client library — create, secure, send, subscribe and receive
 * with ack, get, a wrong-MAC command, a cut connection and the automatic reconnect, delete — from
 * clients at 127.0.0.2 (recipient) and 127.0.0.3 (sender). Then everything the operator could read
 * is scanned ({@link LeakScanner}) for every ID, key, token, client address and plaintext of the
 * workload, in every encoding.
 *
 * <p>What is scanned, and how "outside the encrypted store" is drawn:
 *
 * <ul>
 *   <li>fully (every encoding and the raw bytes): the relay's stdout and stderr, every log file,
 *       {@code /metrics}, and every file of the data directory except RocksDB's SST and WAL files —
 *       so RocksDB's {@code LOG*}, {@code OPTIONS-*}, {@code MANIFEST-*}, {@code CURRENT}, {@code
 *       IDENTITY}, and the relay's key, certificate and store-key files are included;
 *   <li>SST and WAL files (the queue records and envelopes, encrypted at rest; the IDs are the
 *       store's keys by design) for everything but raw binary values: no hex/base64 ID, no client
 *       address, no plaintext.
 * </ul>
 *
 * Not searched: the relay-chosen message IDs and the sealed envelope bytes, which the client
 * library does not expose (the plaintext, the envelope IDs and the sender identity key inside the
 * envelopes are). Heap dumps are refused at start-up by {@code DumpGuard}, tested in the relay
 * module's {@code RelayMainIT.startsPrintsItsAddressRefusesHeapDumpsAndStopsGracefullyOnSigterm}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PrivacyAuditIT {
  private static final String RECIPIENT_IP = "127.0.0.2";
  private static final String SENDER_IP = "127.0.0.3";

  @TempDir Path tmp;

  @Test
  void fullWorkloadLeavesNoIdKeyAddressOrPlaintextInLogsMetricsOrFiles() throws Exception {
    Path data = tmp.resolve("data");
    Path logs = tmp.resolve("logs");
    LeakScanner scanner = new LeakScanner();
    List<String> plaintexts = new ArrayList<>();
    List<LeakScanner.Artifact> artifacts = new ArrayList<>();
    String metrics;

    try (RelayProcess relay = RelayProcess.start(data, 0, VerboseLogging.jvmFlags(logs))) {
      RelayAddress direct = relay.address();
      try (SourceAddressProxy fromRecipient = new SourceAddressProxy(RECIPIENT_IP, direct.port());
          SourceAddressProxy fromSender = new SourceAddressProxy(SENDER_IP, direct.port());
          SealpostClient bob =
              SealpostClient.create(
                  ClientOptions.defaults().toBuilder()
                      .reconnectDelays(Duration.ofMillis(50), Duration.ofMillis(500))
                      .build());
          SealpostClient alice = SealpostClient.create()) {
        RelayAddress viaRecipient = via(direct, fromRecipient.port());
        RelayAddress viaSender = via(direct, fromSender.port());

        Mailbox secured = await(bob.secure(await(bob.createMailbox(viaRecipient))));
        Mailbox open = await(bob.createMailbox(viaRecipient));
        X25519KeyPair aliceId = alice.newIdentity();
        remember(scanner, "secured mailbox", secured);
        remember(scanner, "open mailbox", open);
        scanner.secret("sender identity key", aliceId.publicKey());

        // the sender reaches the same mailboxes from its own address
        MailboxAddress toSecured = rerouted(secured.address(), viaSender);
        MailboxAddress toOpen = rerouted(open.address(), viaSender);
        for (int i = 0; i < 3; i++) {
          await(alice.send(toSecured, plaintext(plaintexts, scanner), aliceId));
        }
        for (int i = 0; i < 2; i++) {
          await(alice.send(toOpen, plaintext(plaintexts, scanner), aliceId));
        }
        MailboxAddress noToken =
            MailboxAddress.of(viaSender, toSecured.senderId(), toSecured.sealingKey(), null);
        assertThat(error(alice.send(noToken, plaintext(plaintexts, scanner), aliceId)))
            .isEqualTo(ClientError.AUTH);

        // subscribe and receive with ack, on a dedicated connection
        BlockingQueue<ReceivedMessage> pushed = new LinkedBlockingQueue<>();
        RelayConnection subscribed = await(bob.connect(viaRecipient));
        await(subscribed.subscribe(secured, pushed::add));
        for (int i = 0; i < 3; i++) {
          remember(scanner, pushed.poll(30, TimeUnit.SECONDS));
        }
        // get (and ack) both messages of the other mailbox
        for (int i = 0; i < 2; i++) {
          Optional<ReceivedMessage> got = await(bob.get(open));
          assertThat(got).isPresent();
          remember(scanner, got.get());
        }
        assertThat(await(bob.get(open))).isEmpty();

        // a recipient command with a wrong MAC: the same IDs, another per-queue key
        Mailbox wrongKey =
            new Mailbox(
                viaRecipient,
                open.recipientId(),
                open.senderId(),
                open.relayDhPublic(),
                bob.newIdentity(),
                open.sealingKey(),
                null);
        assertThat(error(bob.get(wrongKey))).isEqualTo(ClientError.AUTH);

        // the connection is cut; the client reconnects, resubscribes, and delivery goes on
        fromRecipient.dropConnections();
        await(subscribed.whenSubscribed());
        await(alice.send(toSecured, plaintext(plaintexts, scanner), aliceId));
        remember(scanner, pushed.poll(30, TimeUnit.SECONDS));

        await(bob.delete(open));
        assertThat(error(alice.send(toOpen, plaintext(plaintexts, scanner), aliceId)))
            .isEqualTo(ClientError.AUTH);

        metrics = fetch("http://127.0.0.1:" + relay.adminPort() + "/metrics");
        assertThat(metrics).contains("sealpost_connections_accepted_total");
        assertMetricsNotReachableOffLoopback(relay.adminPort());
      }
      relay.stop(); // graceful: logs flushed, store closed
      artifacts.add(
          LeakScanner.Artifact.text("relay stdout+stderr", String.join("\n", relay.output())));
    }
    artifacts.add(LeakScanner.Artifact.text("/metrics", metrics));
    for (Path dir : List.of(logs, data)) {
      artifacts.addAll(LeakScanner.Artifact.files(tmp, dir, true));
    }
    scanner.address("recipient address", RECIPIENT_IP).address("sender address", SENDER_IP);

    List<LeakScanner.Finding> leaks = scanner.scan(artifacts);
    System.out.printf(
        "privacy audit: %s, %d bytes of relay output, %s%n",
        scanner.coverage(artifacts),
        artifacts.get(0).content().length,
        artifacts.stream().map(LeakScanner.Artifact::name).toList());
    assertThat(artifacts).anyMatch(a -> a.name().startsWith("logs/relay-"));
    assertThat(artifacts).anyMatch(a -> a.name().contains("MANIFEST-"));
    assertThat(artifacts).anyMatch(LeakScanner.Artifact::store);
    assertThat(leaks).isEmpty();

    // canary: one ID planted in the relay's captured output is found by the same scan
    byte[] planted = new byte[32];
    System.arraycopy(firstRecipientId, 0, planted, 0, 32);
    List<LeakScanner.Artifact> withCanary = new ArrayList<>(artifacts);
    withCanary.set(
        0,
        new LeakScanner.Artifact(
            "relay stdout+stderr with canary",
            (new String(artifacts.get(0).content(), UTF_8)
                    + "\nFINE: queue "
                    + LeakScanner.hex(planted)
                    + " subscribed from /"
                    + RECIPIENT_IP
                    + ":40000\n")
                .getBytes(UTF_8),
            false));
    List<LeakScanner.Finding> caught = scanner.scan(withCanary);
    assertThat(caught)
        .extracting(LeakScanner.Finding::secret, LeakScanner.Finding::encoding)
        .contains(
            org.assertj.core.groups.Tuple.tuple("secured mailbox recipient ID", "hex"),
            org.assertj.core.groups.Tuple.tuple(
                "secured mailbox recipient ID", "hex of first 8 bytes"),
            org.assertj.core.groups.Tuple.tuple("recipient address", "text"));
    // and in the other encodings, in a file of the data directory outside the store
    for (var e : LeakScanner.encodings(firstSendToken).entrySet()) {
      List<LeakScanner.Finding> one =
          scanner.scan(
              List.of(
                  new LeakScanner.Artifact(
                      "planted " + e.getKey(), ("token=" + e.getValue()).getBytes(UTF_8), false)));
      assertThat(one)
          .as("a send token planted as " + e.getKey())
          .anyMatch(f -> f.secret().equals("secured mailbox send token"));
    }
    assertThat(plaintexts).hasSize(8);
  }

  private byte[] firstRecipientId;
  private byte[] firstSendToken;

  private void remember(LeakScanner scanner, String name, Mailbox m) {
    if (firstRecipientId == null) {
      firstRecipientId = m.recipientId();
      firstSendToken = m.sendToken().orElseThrow();
    }
    scanner
        .secret(name + " recipient ID", m.recipientId())
        .secret(name + " sender ID", m.senderId())
        .secret(name + " relay per-queue key", m.relayDhPublic())
        .secret(name + " recipient per-queue key", m.queueKey().publicKey())
        .secret(name + " sealing key", m.sealingKey().publicKey());
    m.sendToken().ifPresent(t -> scanner.secret(name + " send token", t));
  }

  private static void remember(LeakScanner scanner, ReceivedMessage m) {
    assertThat(m).as("a message delivered").isNotNull();
    scanner.secret("envelope ID", m.envelopeId());
  }

  /** Distinctive content, remembered as text and as bytes. */
  private static byte[] plaintext(List<String> plaintexts, LeakScanner scanner) {
    String text = "AUDIT-PLAINTEXT-" + plaintexts.size() + "-" + java.util.UUID.randomUUID();
    plaintexts.add(text);
    scanner.text("plaintext " + plaintexts.size(), text);
    return text.getBytes(UTF_8);
  }

  private static RelayAddress via(RelayAddress relay, int port) throws Exception {
    return RelayAddress.of(
        relay.transport(), relay.relayKey(), relay.host(), port, relay.blockSize());
  }

  private static MailboxAddress rerouted(MailboxAddress a, RelayAddress relay) throws Exception {
    return MailboxAddress.of(relay, a.senderId(), a.sealingKey(), a.sendToken().orElse(null));
  }

  /**
   * The admin listener answers on 127.0.0.1 and nowhere else: connecting to its port on every
   * non-loopback IPv4 address of this machine is refused.
   */
  private static void assertMetricsNotReachableOffLoopback(int adminPort) throws IOException {
    List<InetAddress> external = new ArrayList<>();
    for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      for (InetAddress a : Collections.list(nif.getInetAddresses())) {
        if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
          external.add(a);
        }
      }
    }
    System.out.println("privacy audit: non-loopback addresses tried for /metrics: " + external);
    for (InetAddress a : external) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(a, adminPort), 5_000);
        throw new AssertionError("the admin port answered on " + a);
      } catch (ConnectException expected) {
        // refused: bound to loopback only
      }
    }
    // another loopback address than the one it is bound to is refused too
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.9"), adminPort), 5_000);
      throw new AssertionError("the admin port answered on 127.0.0.9");
    } catch (ConnectException expected) {
      // bound to 127.0.0.1 exactly
    }
  }

  private static String fetch(String url) throws IOException {
    HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
    c.setConnectTimeout(10_000);
    c.setReadTimeout(10_000);
    try (InputStream in = c.getInputStream()) {
      assertThat(c.getResponseCode()).isEqualTo(200);
      return new String(in.readAllBytes(), UTF_8);
    } finally {
      c.disconnect();
    }
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static ClientError error(CompletionStage<?> stage) throws Exception {
    try {
      await(stage);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof SealpostException se) {
        return se.error();
      }
      throw e;
    }
    throw new AssertionError("expected the operation to fail");
  }
}
