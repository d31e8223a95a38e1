package org.sealpost.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
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
import org.sealpost.client.SealpostException;
import org.sealpost.proto.address.MailboxAddress;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.proto.crypto.X25519KeyPair;
import org.sealpost.proto.v1.ErrorCode;
import org.sealpost.relay.audit.LeakScanner;
import org.sealpost.relay.audit.SourceAddressProxy;
import org.sealpost.relay.audit.VerboseLogging;

/**
 * DESIGN §1 invariant 4 on a cluster, with the queue remote from the sessions that use it: three
 * relay processes ({@link RelayNodes}), each with java.util.logging at ALL to its console and its
 * own log file. A recipient at 127.0.0.2 creates a secured and an open mailbox on n3 (n3 owns
 * them); a sender at 127.0.0.3 on n1 sends to both, once without the send token; the recipient
 * subscribes on n2 and receives with ack (the Acks go n2 → n3), takes the open mailbox's messages
 * with Get and ack on n1, sends a Get with a wrong MAC, deletes the open mailbox from n2, and a
 * Send to it is refused. The clients reach each node's own listener through {@link
 * SourceAddressProxy}, not through HAProxy, so every node sees the clients' addresses.
 *
 * <p>Scanned ({@link LeakScanner}) for every mailbox's IDs, per-queue keys (public keys, MAC and
 * delivery keys), sealing key and send token, the sender's identity key, the envelope IDs of the
 * messages received, the plaintexts and the two client addresses, for each node:
 *
 * <ul>
 *   <li>fully (every encoding and the raw bytes): its stdout and stderr, its log files, its {@code
 *       /metrics} (fetched before it stopped), and every file of its data directory except
 *       RocksDB's SST, blob and WAL files — RocksDB's {@code LOG*}, {@code OPTIONS-*}, {@code
 *       MANIFEST-*} of every shard store and the relay key are included; also the cluster key and
 *       HAProxy's configuration and output;
 *   <li>SST, blob and WAL files (the shard stores, encrypted at rest; the IDs are their keys by
 *       design) for everything but raw binary values.
 * </ul>
 *
 * Not searched: the traffic between the nodes (TLS; {@code ClusterCaptureIT}), Hazelcast's
 * in-memory maps ({@code ClusterRoutingIT}), the relay-chosen message IDs and the sealed envelope
 * bytes, which the client library does not expose. A canary planted in n2's output proves the scan
 * finds what it looks for.
 */
@Timeout(value = 110, unit = TimeUnit.SECONDS)
class ClusterPrivacyAuditIT {
  private static final String RECIPIENT_IP = "127.0.0.2";
  private static final String SENDER_IP = "127.0.0.3";
  private static final int N1 = 0;
  private static final int N2 = 1;
  private static final int N3 = 2;

  @TempDir Path tmp;
  private final LeakScanner scanner = new LeakScanner();
  private final List<String> plaintexts = new ArrayList<>();
  private byte[] canaryId;

  @Test
  void aQueueServedFromOtherNodesLeavesNoIdKeyAddressOrPlaintextOnAnyNode() throws Exception {
    List<List<String>> logging = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      logging.add(VerboseLogging.jvmFlags(tmp.resolve("n" + (i + 1) + "-logs")));
    }
    List<LeakScanner.Artifact> artifacts = new ArrayList<>();
    try (RelayNodes nodes =
        new RelayNodes(Files.createDirectory(tmp.resolve("cluster")), logging::get)) {
      nodes.startAll();
      for (int i = 0; i < 3; i++) {
        int node = i;
        RelayNodes.await(
            "n" + (node + 1) + " sees every shard and member",
            () -> nodes.http(node, "/health").equals("ok\nshards served: 12 of 12\nmembers: 3\n"));
      }
      workload(nodes);
      for (int i = 0; i < 3; i++) {
        String metrics = nodes.metrics(i);
        assertThat(metrics).contains("sealpost_connections_accepted_total");
        artifacts.add(LeakScanner.Artifact.text("n" + (i + 1) + " /metrics", metrics));
      }
      for (int i = 0; i < 3; i++) {
        nodes.stop(i); // graceful: logs flushed, shard stores closed
        assertThat(nodes.output(i)).as("n%d's output to its end", i + 1).contains("stopped");
        artifacts.add(
            LeakScanner.Artifact.text(
                "n" + (i + 1) + " stdout+stderr", String.join("\n", nodes.output(i))));
      }
    }
    // every node's log files and data directory, the cluster key, HAProxy's config and output
    artifacts.addAll(LeakScanner.Artifact.files(tmp, tmp, true));
    scanner.address("recipient address", RECIPIENT_IP).address("sender address", SENDER_IP);

    List<LeakScanner.Finding> leaks = scanner.scan(artifacts);
    System.out.println("cluster privacy audit: " + scanner.coverage(artifacts));
    for (int n = 1; n <= 3; n++) {
      String node = "n" + n;
      assertThat(artifacts).anyMatch(a -> a.name().startsWith(node + "-logs/relay-"));
      assertThat(artifacts)
          .anyMatch(
              a -> a.name().startsWith("cluster/" + node + "/") && a.name().contains("MANIFEST-"));
    }
    assertThat(artifacts).anyMatch(a -> a.name().equals("cluster/haproxy.cfg"));
    assertThat(artifacts).anyMatch(LeakScanner.Artifact::store);
    assertThat(leaks).isEmpty();
    assertThat(plaintexts).hasSize(7);

    // canary: a recipient ID and the recipient's address planted in n2's output are found
    String canary =
        "\nFINE: queue " + LeakScanner.hex(canaryId) + " acked from /" + RECIPIENT_IP + ":40000\n";
    List<LeakScanner.Artifact> planted = new ArrayList<>();
    for (LeakScanner.Artifact a : artifacts) {
      planted.add(
          a.name().equals("n2 stdout+stderr")
              ? LeakScanner.Artifact.text(
                  a.name() + " with canary",
                  new String(a.content(), StandardCharsets.UTF_8) + canary)
              : a);
    }
    assertThat(scanner.scan(planted))
        .extracting(
            LeakScanner.Finding::artifact,
            LeakScanner.Finding::secret,
            LeakScanner.Finding::encoding)
        .contains(
            tuple("n2 stdout+stderr with canary", "secured mailbox recipient ID", "hex"),
            tuple("n2 stdout+stderr with canary", "recipient address", "text"));
  }

  /** The workload; every ID, key and envelope ID it sees becomes a needle of {@link #scanner}. */
  private void workload(RelayNodes nodes) throws Exception {
    try (SourceAddressProxy recipientTo1 =
            new SourceAddressProxy(RECIPIENT_IP, nodes.listenPort(N1));
        SourceAddressProxy recipientTo2 =
            new SourceAddressProxy(RECIPIENT_IP, nodes.listenPort(N2));
        SourceAddressProxy recipientTo3 =
            new SourceAddressProxy(RECIPIENT_IP, nodes.listenPort(N3));
        SourceAddressProxy senderTo1 = new SourceAddressProxy(SENDER_IP, nodes.listenPort(N1));
        SealpostClient bob = SealpostClient.create(options());
        SealpostClient alice = SealpostClient.create(options())) {
      RelayAddress cluster = nodes.address();
      RelayConnection bobOn1 = await(bob.connect(port(cluster, recipientTo1.port())));
      RelayConnection bobOn2 = await(bob.connect(port(cluster, recipientTo2.port())));
      RelayConnection bobOn3 = await(bob.connect(port(cluster, recipientTo3.port())));
      RelayConnection aliceOn1 = await(alice.connect(port(cluster, senderTo1.port())));

      Mailbox secured = await(bobOn3.secure(await(bobOn3.createMailbox())));
      Mailbox open = await(bobOn3.createMailbox());
      assertThat(nodes.owner(secured.recipientId())).isEqualTo("n3");
      assertThat(nodes.owner(open.recipientId())).isEqualTo("n3");
      canaryId = secured.recipientId();
      remember("secured mailbox", secured);
      remember("open mailbox", open);
      for (RelayConnection c : List.of(bobOn1, bobOn2)) {
        for (Mailbox m : List.of(secured, open)) {
          awaitRoute(c, m.withRelay(c.relay()));
        }
      }

      // the sender on n1 writes to n3's queues
      X25519KeyPair aliceId = alice.newIdentity();
      scanner.secret("sender identity key", aliceId.publicKey());
      MailboxAddress toSecured = on(aliceOn1, secured.address());
      MailboxAddress toOpen = on(aliceOn1, open.address());
      for (int i = 0; i < 3; i++) {
        await(aliceOn1.send(toSecured, plaintext(), aliceId));
      }
      for (int i = 0; i < 2; i++) {
        await(aliceOn1.send(toOpen, plaintext(), aliceId));
      }
      MailboxAddress noToken =
          MailboxAddress.of(toSecured.relay(), toSecured.senderId(), toSecured.sealingKey(), null);
      assertThat(error(aliceOn1.send(noToken, plaintext(), aliceId))).isEqualTo(ClientError.AUTH);

      // pushed on n2, acknowledged from n2 to n3
      BlockingQueue<ReceivedMessage> pushed = new LinkedBlockingQueue<>();
      await(bobOn2.subscribe(secured.withRelay(bobOn2.relay()), pushed::add));
      for (int i = 0; i < 3; i++) {
        remember(pushed.poll(30, TimeUnit.SECONDS));
      }
      RelayNodes.await(
          "n2 counts the three Acks done on n3",
          () ->
              nodes.sum(N2, "sealpost_commands_total", "(?=.*command=\"ack\")(?=.*outcome=\"ok\")")
                  >= 3);

      // taken with Get (and acked) on n1; then a Get with a wrong MAC
      Mailbox openOn1 = open.withRelay(bobOn1.relay());
      for (int i = 0; i < 2; i++) {
        Optional<ReceivedMessage> got = await(bobOn1.get(openOn1));
        assertThat(got).isPresent();
        remember(got.get());
      }
      assertThat(await(bobOn1.get(openOn1))).isEmpty();
      X25519KeyPair notItsKey = bob.newIdentity();
      Mailbox wrongKey =
          new Mailbox(
              bobOn1.relay(),
              open.recipientId(),
              open.senderId(),
              open.relayDhPublic(),
              notItsKey,
              open.sealingKey(),
              null);
      assertThat(error(bobOn1.get(wrongKey))).isEqualTo(ClientError.AUTH);

      // deleted from n2; a Send to it on n1 is refused
      await(bobOn2.delete(open.withRelay(bobOn2.relay())));
      assertThat(error(aliceOn1.send(toOpen, plaintext(), aliceId))).isEqualTo(ClientError.AUTH);
    }
  }

  private void remember(String name, Mailbox m) {
    scanner
        .secret(name + " recipient ID", m.recipientId())
        .secret(name + " sender ID", m.senderId())
        .secret(name + " relay per-queue key", m.relayDhPublic())
        .secret(name + " recipient per-queue key", m.queueKey().publicKey())
        .secret(name + " MAC key", m.queueKeys().macKey())
        .secret(name + " delivery key", m.queueKeys().deliveryKey())
        .secret(name + " sealing key", m.sealingKey().publicKey());
    m.sendToken().ifPresent(t -> scanner.secret(name + " send token", t));
  }

  private void remember(ReceivedMessage m) {
    assertThat(m).as("a message delivered").isNotNull();
    scanner.secret("envelope ID", m.envelopeId());
  }

  /** Distinctive content, remembered as text. */
  private byte[] plaintext() {
    String text = "CLUSTER-AUDIT-PLAINTEXT-" + plaintexts.size() + "-" + UUID.randomUUID();
    plaintexts.add(text);
    scanner.text("plaintext " + plaintexts.size(), text);
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Right after the start a node may answer the retryable STORE for another node's shards until it
   * sees their routes: Gets (nothing is pending yet, so they change nothing) until one is answered.
   */
  private static void awaitRoute(RelayConnection c, Mailbox m) throws Exception {
    RelayNodes.await(
        "a Get routed to the queue's owner",
        () -> {
          try {
            return await(c.get(m)).isEmpty();
          } catch (ExecutionException e) {
            if (e.getCause() instanceof SealpostException s
                && s.relayCode().equals(Optional.of(ErrorCode.ERROR_CODE_STORE))) {
              return false;
            }
            throw e;
          }
        });
  }

  private static ClientOptions options() {
    return ClientOptions.defaults().toBuilder()
        .reconnect(false)
        .requestTimeout(Duration.ofSeconds(20))
        .build();
  }

  private static RelayAddress port(RelayAddress relay, int port) throws Exception {
    return RelayAddress.of(
        relay.transport(), relay.relayKey(), relay.host(), port, relay.blockSize());
  }

  /** The mailbox address as reached through {@code c}'s relay address. */
  private static MailboxAddress on(RelayConnection c, MailboxAddress a) throws Exception {
    return MailboxAddress.of(c.relay(), a.senderId(), a.sealingKey(), a.sendToken().orElse(null));
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static ClientError error(CompletionStage<?> stage) throws Exception {
    try {
      await(stage);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof SealpostException se) {
        return se.error();
      }
      throw e;
    }
    throw new AssertionError("expected the operation to fail");
  }
}
