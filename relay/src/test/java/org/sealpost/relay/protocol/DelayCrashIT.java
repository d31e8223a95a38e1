package org.sealpost.relay.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.mailbox.MailboxStore;
import org.sealpost.mailbox.QueueId;
import org.sealpost.mailbox.StoredEnvelope;
import org.sealpost.mailbox.rocksdb.RocksMailboxStore;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.proto.v1.Frame;
import org.sealpost.proto.v1.RecipientOp;
import org.sealpost.proto.v1.Subscribe;
import org.sealpost.relay.RelayMain;
import org.sealpost.relay.config.RelayConfigLoader;
import org.sealpost.relay.protocol.TestClient.QueueCreds;

/**
 * Delivery delay and timed batches survive kill -9 (issue 10). A relay process holding delayed
 * envelopes is killed; the store then holds every envelope whose Send was answered, with its
 * not-before time, and the restarted relay pushes each of them, none before that time. A relay
 * holding envelopes for a round that never came is killed; the restart (a round) releases them all.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DelayCrashIT {
  private static final int SENDS = 16;
  private static final List<String> DELAY =
      List.of("--delivery-delay-mean", "3s", "--delivery-delay-max", "15s");
  private static final RecipientOp SUBSCRIBE =
      RecipientOp.newBuilder().setSubscribe(Subscribe.getDefaultInstance()).build();

  @TempDir Path tmp;

  @Test
  void aKilledRelayLosesNoDelayedEnvelopeAndReleasesNoneEarly() throws Exception {
    Path data = tmp.resolve("data");
    Vertx vertx = Vertx.vertx();
    try {
      QueueCreds q;
      Map<ByteString, Integer> sent = new HashMap<>();
      long sendsStarted = System.currentTimeMillis();
      Child first = new Child(data, DELAY);
      try (TestClient client = first.connect(vertx)) {
        q = client.createQueue();
        for (int i = 0; i < SENDS; i++) {
          byte[] envelope = client.randomEnvelope();
          assertThat(client.call(client.sendFrame(q.senderId(), envelope, null)).hasOk()).isTrue();
          sent.put(ByteString.copyFrom(envelope), i);
        }
      } finally {
        first.kill();
      }

      // what the killed relay left: every answered envelope, each with its time
      Map<ByteString, Long> notBefore = new HashMap<>();
      try (RocksMailboxStore store =
          RocksMailboxStore.opener(
                  ProtocolApplication.mailboxConfig(
                      RelayConfigLoader.fromSettings(Map.of("data-dir", data.toString())), false))
              .open()) {
        QueueId queue =
            store
                .findByRecipientId(q.recipientId())
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS)
                .orElseThrow()
                .queueId();
        for (StoredEnvelope e :
            store
                .readPending(queue, MailboxStore.START, 100)
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS)) {
          notBefore.put(ByteString.copyFrom(e.envelope()), e.notBefore());
        }
      }
      assertThat(notBefore.keySet()).as("envelopes stored").isEqualTo(sent.keySet());
      assertThat(notBefore.values()).allSatisfy(t -> assertThat(t).isGreaterThan(sendsStarted));
      long restarting = System.currentTimeMillis();
      assertThat(notBefore.values())
          .as("some envelopes are still held back when the relay restarts")
          .anySatisfy(t -> assertThat(t).isGreaterThan(restarting + 500));

      Child second = new Child(data, DELAY);
      try (TestClient client = second.connect(vertx)) {
        assertThat(client.call(client.recipientFrame(q, SUBSCRIBE)).hasOk()).isTrue();
        List<ByteString> pushed = new ArrayList<>();
        while (pushed.size() < SENDS) {
          Frame push = client.nextPush(Duration.ofSeconds(30));
          long at = System.currentTimeMillis();
          assertThat(push).as("push %s of %s", pushed.size() + 1, SENDS).isNotNull();
          ByteString envelope = ByteString.copyFrom(client.open(q, push.getMessage()));
          assertThat(notBefore).containsKey(envelope);
          assertThat(at)
              .as("pushed at or after its time")
              .isGreaterThanOrEqualTo(notBefore.get(envelope));
          pushed.add(envelope);
          client.sendAll(List.of(client.ackFrame(q, push.getMessage().getMessageId())));
        }
        assertThat(pushed).doesNotHaveDuplicates();
        assertThat(pushed).containsExactlyInAnyOrderElementsOf(sent.keySet());
      } finally {
        second.kill();
      }
    } finally {
      TestClient.await(vertx.close());
    }
  }

  @Test
  void aKilledRelayLosesNoEnvelopeHeldForARoundAndTheRestartReleasesThemTogether()
      throws Exception {
    Path data = tmp.resolve("batch");
    // rounds every 500 ms that release only with 1,000 envelopes: nothing leaves before the kill
    List<String> batches =
        List.of("--delivery-batch-interval", "500ms", "--delivery-batch-min", "1000");
    Vertx vertx = Vertx.vertx();
    try {
      QueueCreds q;
      List<ByteString> sent = new ArrayList<>();
      Child first = new Child(data, batches);
      try (TestClient client = first.connect(vertx)) {
        q = client.createQueue();
        assertThat(client.call(client.recipientFrame(q, SUBSCRIBE)).hasOk()).isTrue();
        for (int i = 0; i < SENDS; i++) {
          byte[] envelope = client.randomEnvelope();
          assertThat(client.call(client.sendFrame(q.senderId(), envelope, null)).hasOk()).isTrue();
          sent.add(ByteString.copyFrom(envelope));
        }
        assertThat(client.nextPush(Duration.ofMillis(1_500))).as("held for a round").isNull();
      } finally {
        first.kill();
      }
      // a start counts as a round: the restarted relay releases what the killed one held
      Child second = new Child(data, batches);
      try (TestClient client = second.connect(vertx)) {
        assertThat(client.call(client.recipientFrame(q, SUBSCRIBE)).hasOk()).isTrue();
        List<ByteString> pushed = new ArrayList<>();
        while (pushed.size() < SENDS) {
          Frame push = client.nextPush(Duration.ofSeconds(30));
          assertThat(push).as("push %s of %s", pushed.size() + 1, SENDS).isNotNull();
          pushed.add(ByteString.copyFrom(client.open(q, push.getMessage())));
          client.sendAll(List.of(client.ackFrame(q, push.getMessage().getMessageId())));
        }
        assertThat(pushed).containsExactlyInAnyOrderElementsOf(sent);
      } finally {
        second.kill();
      }
    } finally {
      TestClient.await(vertx.close());
    }
  }

  /** {@code RelayMain} in a child JVM with some defences on, plain WebSocket on 127.0.0.1. */
  private static final class Child {
    final Process process;
    final BlockingQueue<String> out = new LinkedBlockingQueue<>();

    Child(Path data, List<String> defences) throws IOException {
      List<String> cmd =
          new ArrayList<>(
              List.of(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx256m",
                  "-cp",
                  productionClassPath(),
                  RelayMain.class.getName(),
                  "--data-dir",
                  data.toString(),
                  "--listen-host",
                  "127.0.0.1",
                  "--listen-port",
                  "0",
                  "--public-host",
                  "127.0.0.1",
                  "--admin-port",
                  "0",
                  "--event-loops",
                  "1",
                  "--tls-enabled",
                  "false"));
      cmd.addAll(defences);
      process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      Thread t =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = r.readLine()) != null) {
                    out.add(line);
                  }
                } catch (IOException e) {
                  // the process ended
                }
              });
      t.setDaemon(true);
      t.start();
    }

    TestClient connect(Vertx vertx) throws Exception {
      RelayAddress address = null;
      while (address == null) {
        String line = out.poll(60, TimeUnit.SECONDS);
        assertThat(line).as("the relay's address on stdout").isNotNull();
        if (line.startsWith("relay address: ")) {
          address = RelayAddress.parse(line.substring("relay address: ".length()));
        }
      }
      // the address is printed before the listener is up: wait for it
      String line;
      do {
        line = out.poll(60, TimeUnit.SECONDS);
        assertThat(line).as("'listening on' on stdout").isNotNull();
      } while (!line.startsWith("listening on "));
      return TestClient.connect(vertx, address.port(), address.relayKey(), address.blockSize());
    }

    void kill() throws InterruptedException {
      process.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    /** Without the test classes, whose service file names the test's echo application. */
    private static String productionClassPath() {
      return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
          .filter(e -> !e.endsWith("test-classes"))
          .collect(Collectors.joining(File.pathSeparator));
    }
  }
}
