package org.sealpost.cli.audit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.cli.crash.RelayProcess;
import org.sealpost.client.ClientOptions;
import org.sealpost.client.Mailbox;
import org.sealpost.client.ReceivedMessage;
import org.sealpost.client.RelayConnection;
import org.sealpost.client.SealpostClient;
import org.sealpost.proto.address.MailboxAddress;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.proto.crypto.X25519KeyPair;
import org.sealpost.relay.audit.LeakScanner;
import org.sealpost.relay.audit.SourceAddressProxy;
import org.sealpost.relay.audit.VerboseLogging;

/**
 * issue 11, the privacy audit for two hops: a recipient and a sender at 127.0.0.2 create, secure,
 * subscribe, receive and send only through a first relay (a child JVM logging at ALL) to a
 * destination relay (another one). Everything the first relay's operator could read — output, log
 * files, /metrics and every file of its data directory, RocksDB's included, searched fully — holds
 * no queue ID, send token, MAC or delivery key, queue or sealing key, envelope ID or plaintext; the
 * destination's output, logs, metrics and files never hold the client's address, and no connection
 * the destination accepted (every one is recorded in front of it) came from it. A planted canary
 * proves the scans can fail.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TwoHopPrivacyAuditIT {
  private static final String CLIENT_IP = "127.0.0.2";

  @TempDir Path tmp;

  @Test
  void firstRelayNeverHoldsQueueSecretsAndDestinationNeverSeesTheClient() throws Exception {
    Path firstLogs = tmp.resolve("first-logs");
    Path destLogs = tmp.resolve("dest-logs");
    LeakScanner firstScanner = new LeakScanner();
    List<LeakScanner.Artifact> firstArtifacts = new ArrayList<>();
    List<LeakScanner.Artifact> destArtifacts = new ArrayList<>();
    List<String> plaintexts = new ArrayList<>();
    Set<InetAddress> destinationSaw;
    byte[] macKey;

    try (RelayProcess destination =
            RelayProcess.start(tmp.resolve("dest"), 0, VerboseLogging.jvmFlags(destLogs));
        RelayProcess first =
            RelayProcess.start(
                tmp.resolve("first"),
                0,
                VerboseLogging.jvmFlags(firstLogs),
                "--forward-private-destinations",
                "true",
                // two cold relay JVMs on a loaded machine: generous, never hit when all is well
                "--forward-connect-timeout",
                "30s",
                "--forward-reply-timeout",
                "30s")) {
      try (RecordingForwarder toDestination = new RecordingForwarder(destination.address().port());
          SourceAddressProxy toFirst = new SourceAddressProxy(CLIENT_IP, first.address().port());
          SealpostClient bob = SealpostClient.create(patient());
          SealpostClient alice = SealpostClient.create(patient())) {
        RelayAddress dest = port(destination.address(), toDestination.port());
        RelayAddress firstVia = port(first.address(), toFirst.port());

        RelayConnection circuit = await(bob.connect(dest, firstVia));
        Mailbox inbox = await(circuit.secure(await(circuit.createMailbox())));
        macKey = inbox.queueKeys().macKey();
        firstScanner
            .secret("recipient ID", inbox.recipientId())
            .secret("sender ID", inbox.senderId())
            .secret("send token", inbox.sendToken().orElseThrow())
            .secret("MAC key", macKey)
            .secret("delivery key", inbox.queueKeys().deliveryKey())
            .secret("relay per-queue key", inbox.relayDhPublic())
            .secret("recipient per-queue key", inbox.queueKey().publicKey())
            .secret("sealing key", inbox.sealingKey().publicKey());
        BlockingQueue<ReceivedMessage> got = new LinkedBlockingQueue<>();
        await(circuit.subscribe(inbox, got::add));
        X25519KeyPair aliceId = alice.newIdentity();
        firstScanner.secret("sender identity key", aliceId.publicKey());
        MailboxAddress to = inbox.address();
        for (int i = 0; i < 4; i++) {
          await(alice.send(to, plaintext(plaintexts, firstScanner), aliceId, firstVia));
          ReceivedMessage m = got.poll(30, TimeUnit.SECONDS);
          assertThat(m).as("message %s delivered through the circuit", i).isNotNull();
          firstScanner.secret("envelope ID " + i, m.envelopeId());
        }
        await(circuit.delete(inbox));
        circuit.close();
        firstArtifacts.add(LeakScanner.Artifact.text("first /metrics", fetch(first.adminPort())));
        destArtifacts.add(
            LeakScanner.Artifact.text("destination /metrics", fetch(destination.adminPort())));
        destinationSaw = Set.copyOf(toDestination.sources());
      }
      first.stop();
      destination.stop();
      firstArtifacts.add(
          LeakScanner.Artifact.text("first stdout+stderr", String.join("\n", first.output())));
      destArtifacts.add(
          LeakScanner.Artifact.text(
              "destination stdout+stderr", String.join("\n", destination.output())));
    }
    // the first relay holds nothing of the queue at all: even its store is searched byte for byte
    addFiles(firstArtifacts, List.of(firstLogs, tmp.resolve("first")), false);
    addFiles(destArtifacts, List.of(destLogs, tmp.resolve("dest")), true);
    LeakScanner destScanner = new LeakScanner().address("client address", CLIENT_IP);

    assertThat(destinationSaw).as("connections the destination accepted").isNotEmpty();
    assertThat(destinationSaw).doesNotContain(InetAddress.getByName(CLIENT_IP));
    assertThat(firstArtifacts).anyMatch(a -> a.name().contains("first-logs/"));
    assertThat(firstArtifacts).anyMatch(a -> a.name().contains("MANIFEST-"));
    assertThat(firstScanner.scan(firstArtifacts)).isEmpty();
    assertThat(destScanner.scan(destArtifacts)).isEmpty();
    assertThat(plaintexts).hasSize(4);

    // canaries: the same scans find a MAC key and the client address once they are there
    List<LeakScanner.Artifact> planted = new ArrayList<>(firstArtifacts);
    planted.add(LeakScanner.Artifact.text("planted", "FINE: mac " + LeakScanner.hex(macKey)));
    assertThat(firstScanner.scan(planted)).anyMatch(f -> f.secret().equals("MAC key"));
    List<LeakScanner.Artifact> plantedDest = new ArrayList<>(destArtifacts);
    plantedDest.add(
        LeakScanner.Artifact.text("planted", "FINE: session from /" + CLIENT_IP + ":40000"));
    assertThat(destScanner.scan(plantedDest)).anyMatch(f -> f.secret().equals("client address"));
  }

  private static ClientOptions patient() {
    return ClientOptions.defaults().toBuilder()
        .connectTimeout(Duration.ofSeconds(30))
        .handshakeTimeout(Duration.ofSeconds(30))
        .requestTimeout(Duration.ofSeconds(60))
        .build();
  }

  private void addFiles(List<LeakScanner.Artifact> out, List<Path> dirs, boolean storeAware)
      throws IOException {
    for (Path dir : dirs) {
      out.addAll(LeakScanner.Artifact.files(tmp, dir, storeAware));
    }
  }

  private static byte[] plaintext(List<String> plaintexts, LeakScanner scanner) {
    String text = "TWO-HOP-PLAINTEXT-" + plaintexts.size() + "-" + java.util.UUID.randomUUID();
    plaintexts.add(text);
    scanner.text("plaintext " + plaintexts.size(), text);
    return text.getBytes(UTF_8);
  }

  private static RelayAddress port(RelayAddress relay, int port) throws Exception {
    return RelayAddress.of(
        relay.transport(), relay.relayKey(), relay.host(), port, relay.blockSize());
  }

  private static String fetch(int adminPort) throws IOException {
    HttpURLConnection c =
        (HttpURLConnection) new URL("http://127.0.0.1:" + adminPort + "/metrics").openConnection();
    c.setConnectTimeout(10_000);
    c.setReadTimeout(10_000);
    try (InputStream in = c.getInputStream()) {
      return new String(in.readAllBytes(), UTF_8);
    } finally {
      c.disconnect();
    }
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  /** A TCP forwarder in front of the destination that records each connection's source address. */
  private static final class RecordingForwarder implements AutoCloseable {
    private final ServerSocket server;
    private final int target;
    private final Set<InetAddress> sources = ConcurrentHashMap.newKeySet();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

    RecordingForwarder(int target) throws IOException {
      this.target = target;
      this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread t = new Thread(this::accept, "recording-forwarder");
      t.setDaemon(true);
      t.start();
    }

    int port() {
      return server.getLocalPort();
    }

    Set<InetAddress> sources() {
      return sources;
    }

    private void accept() {
      while (!server.isClosed()) {
        try {
          Socket client = server.accept();
          sources.add(client.getInetAddress());
          Socket relay = new Socket();
          relay.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target));
          sockets.add(client);
          sockets.add(relay);
          pipe(client, relay);
          pipe(relay, client);
        } catch (IOException e) {
          return;
        }
      }
    }

    private void pipe(Socket from, Socket to) {
      Thread t =
          new Thread(
              () -> {
                try (InputStream in = from.getInputStream();
                    OutputStream out = to.getOutputStream()) {
                  in.transferTo(out);
                } catch (IOException e) {
                  // one side closed
                } finally {
                  close(from);
                  close(to);
                }
              },
              "recording-forwarder-pipe");
      t.setDaemon(true);
      t.start();
    }

    private static void close(Socket s) {
      try {
        s.close();
      } catch (IOException e) {
        // already closed
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
      sockets.forEach(RecordingForwarder::close);
    }
  }
}
