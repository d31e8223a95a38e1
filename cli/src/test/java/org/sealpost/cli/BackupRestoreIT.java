package org.sealpost.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.sealpost.cli.Await.get;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.client.Mailbox;
import org.sealpost.client.ReceivedMessage;
import org.sealpost.client.SealpostClient;
import org.sealpost.proto.crypto.X25519KeyPair;
import org.sealpost.relay.EmbeddedRelay;
import org.sealpost.relay.backup.Snapshots;
import org.sealpost.relay.tools.BackupTool;

/**
 * {@code sealpost relay backup} while the relay serves, then a fresh relay started on a restored
 * copy of the snapshot delivers everything the relay held at that moment, under the same relay key,
 * and nothing sent after it; with the relay stopped, the tool opens the store itself.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class BackupRestoreIT {
  private static final int MAILBOXES = 3;
  private static final int BEFORE = 4;

  @TempDir Path tmp;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int backup(Path dataDir, int adminPort, Path target) {
    return new BackupTool(new PrintStream(out, true, UTF_8), new PrintStream(err, true, UTF_8))
        .run(
            List.of(
                "--data-dir",
                dataDir.toString(),
                "--admin-port",
                Integer.toString(adminPort),
                "--out",
                target.toString()),
            Map.of());
  }

  private static List<String> drain(SealpostClient client, Mailbox mailbox) throws Exception {
    List<String> texts = new ArrayList<>();
    while (true) {
      Optional<ReceivedMessage> m = get(client.get(mailbox));
      if (m.isEmpty()) {
        return texts;
      }
      texts.add(new String(m.get().content(), UTF_8));
    }
  }

  @Test
  void aSnapshotTakenWhileServingRestoresIntoAFreshRelayThatDeliversWhatItHeld() throws Exception {
    Path dataA = tmp.resolve("a");
    Path snapshot = tmp.resolve("snapshot");
    List<Mailbox> mailboxes = new ArrayList<>();
    List<List<String>> expected = new ArrayList<>();
    int port;
    byte[] relayKey;
    try (EmbeddedRelay relay = EmbeddedRelay.start(dataA, false, Map.of());
        SealpostClient client = SealpostClient.create()) {
      port = relay.port();
      relayKey = relay.running().relayPublicKey();
      X25519KeyPair sender = client.newIdentity();
      for (int i = 0; i < MAILBOXES; i++) {
        Mailbox m = get(client.createMailbox(relay.address()));
        mailboxes.add(m);
        List<String> texts = new ArrayList<>();
        for (int n = 0; n < BEFORE + i; n++) {
          String text = "mailbox " + i + " message " + n;
          get(client.send(m.address(), text.getBytes(UTF_8), sender));
          texts.add(text);
        }
        expected.add(texts);
      }
      // one taken before the backup: not in it
      assertThat(drain(client, mailboxes.get(0))).isEqualTo(expected.get(0));
      expected.set(0, List.of());
      get(client.send(mailboxes.get(0).address(), "kept".getBytes(UTF_8), sender));
      expected.set(0, List.of("kept"));

      int code = backup(dataA, relay.running().adminPort(), snapshot);
      assertThat(code).as(err.toString(UTF_8)).isZero();
      assertThat(out.toString(UTF_8)).contains("from the running relay");

      // the relay kept serving; what comes after the snapshot is not in it
      get(client.send(mailboxes.get(1).address(), "after".getBytes(UTF_8), sender));
      assertThat(relay.running().ready()).isTrue();
    }
    assertThat(dataA.resolve(Snapshots.STAGING)).doesNotExist();
    assertThat(Files.getPosixFilePermissions(snapshot))
        .containsExactlyInAnyOrder(
            java.nio.file.attribute.PosixFilePermission.OWNER_READ,
            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE,
            java.nio.file.attribute.PosixFilePermission.OWNER_EXECUTE);
    try (Stream<Path> files = Files.list(snapshot)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(
              "sealpost-data.properties", "relay-key.pem", "store.key", "store");
    }

    // restore: the snapshot, copied as a whole, is the fresh relay's data directory
    Path restored = tmp.resolve("restored");
    Snapshots.copyTree(snapshot, restored);
    try (EmbeddedRelay fresh =
            EmbeddedRelay.start(restored, false, Map.of("listen.port", Integer.toString(port)));
        SealpostClient client = SealpostClient.create()) {
      assertThat(fresh.running().relayPublicKey()).isEqualTo(relayKey);
      for (int i = 0; i < MAILBOXES; i++) {
        assertThat(drain(client, mailboxes.get(i))).as("mailbox " + i).isEqualTo(expected.get(i));
      }
    }
  }

  @Test
  void withTheRelayStoppedTheToolOpensTheStoreItself() throws Exception {
    Path dataA = tmp.resolve("a");
    Mailbox mailbox;
    int port;
    try (EmbeddedRelay relay = EmbeddedRelay.start(dataA, false, Map.of());
        SealpostClient client = SealpostClient.create()) {
      port = relay.port();
      mailbox = get(client.createMailbox(relay.address()));
      get(client.send(mailbox.address(), "offline".getBytes(UTF_8), client.newIdentity()));
    }
    Path snapshot = tmp.resolve("snapshot");
    assertThat(backup(dataA, port == 1 ? 2 : 1, snapshot)).as(err.toString(UTF_8)).isZero();
    assertThat(out.toString(UTF_8)).contains("relay stopped");

    try (EmbeddedRelay fresh =
            EmbeddedRelay.start(snapshot, false, Map.of("listen.port", Integer.toString(port)));
        SealpostClient client = SealpostClient.create()) {
      assertThat(fresh.running().ready()).isTrue();
      assertThat(drain(client, mailbox)).containsExactly("offline");
    }
  }

  @Test
  void aRunningRelayWhoseAdminPortIsUnknownIsNamedNotCopiedBehindItsBack() throws Exception {
    Path dataA = tmp.resolve("a");
    Path snapshot = tmp.resolve("snapshot");
    try (EmbeddedRelay relay = EmbeddedRelay.start(dataA, false, Map.of())) {
      assertThat(relay.running().ready()).isTrue();
      assertThat(backup(dataA, 0, snapshot)).isEqualTo(3);
    }
    assertThat(err.toString(UTF_8)).contains("cannot back up", "--admin-port");
    assertThat(snapshot).doesNotExist();
  }
}
