package org.sealpost.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.proto.crypto.RandomSource;
import org.sealpost.proto.crypto.X25519KeyPair;

class KeystoreTest {
  @TempDir Path dir;

  private final RelayAddress relay = TestMailboxes.relay("relay.example", 8443);

  @Test
  void saveThenLoadGivesBackIdentityAndEveryMailboxInOrder() {
    Path file = dir.resolve("keystore.json");
    Keystore ks = Keystore.open(file);
    X25519KeyPair identity = ks.identityOrCreate(RandomSource.secure());
    Mailbox open = TestMailboxes.mailbox(relay, false);
    Mailbox secured = TestMailboxes.mailbox(TestMailboxes.relay("127.0.0.1", 9000), true);
    ks.put("zeta", open);
    ks.put("alpha", secured);
    ks.save();

    Keystore loaded = Keystore.load(file);

    assertThat(loaded.identity()).isPresent();
    assertThat(loaded.identity().get().privateKey()).isEqualTo(identity.privateKey());
    assertThat(loaded.mailboxes().keySet()).containsExactly("zeta", "alpha");
    assertThat(loaded.mailbox("zeta")).contains(open);
    assertThat(loaded.mailbox("alpha")).contains(secured);
    assertThat(loaded.mailbox("alpha").get().address()).isEqualTo(secured.address());
    assertThat(loaded.mailbox("zeta").get().isSecured()).isFalse();
    assertThat(loaded.mailbox("alpha").get().queueKeys().macKey())
        .isEqualTo(secured.queueKeys().macKey());
  }

  @Test
  void aMovedMailboxKeepsItsTargetAcrossSaveAndLoseItOnRemove() {
    Path file = dir.resolve("keystore.json");
    Keystore ks = Keystore.open(file);
    ks.put("inbox", TestMailboxes.mailbox(relay, true));
    ks.put("inbox.old", TestMailboxes.mailbox(relay, true));
    ks.setMovedTo("inbox.old", "inbox");
    ks.save();

    Keystore loaded = Keystore.load(file);

    assertThat(loaded.movedTo("inbox.old")).contains("inbox");
    assertThat(loaded.movedTo("inbox")).isEmpty();
    assertThat(loaded.movedFrom("inbox")).containsExactly("inbox.old");
    loaded.remove("inbox.old");
    assertThat(loaded.movedFrom("inbox")).isEmpty();
    assertThat(loaded.toJson()).doesNotContain("moved_to");
  }

  @Test
  void fileIsOwnerOnlyAndItsNewDirectoryToo() throws IOException {
    Path file = dir.resolve("new-dir").resolve("keystore.json");
    Keystore ks = Keystore.open(file);
    ks.put("inbox", TestMailboxes.mailbox(relay, false));
    ks.save();

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
        .isEqualTo("rwx------");
  }

  @Test
  void saveReplacesAtomicallyAndLeavesNoTemporaryFile() throws IOException {
    Path file = dir.resolve("keystore.json");
    Keystore ks = Keystore.open(file);
    ks.put("one", TestMailboxes.mailbox(relay, false));
    ks.save();
    ks.put("two", TestMailboxes.mailbox(relay, true));
    ks.remove("one");
    ks.save();

    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("keystore.json");
    }
    assertThat(Keystore.load(file).mailboxes().keySet()).containsExactly("two");
  }

  @Test
  void loadRefusesAFileReadableByOthers() throws IOException {
    Path file = dir.resolve("keystore.json");
    Keystore.open(file).save();
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    assertThatThrownBy(() -> Keystore.load(file))
        .isInstanceOfSatisfying(
            SealpostException.class, e -> assertThat(e.error()).isEqualTo(ClientError.KEYSTORE))
        .hasMessageContaining("chmod 600");
  }

  @Test
  void formatIsVersionedJsonWithoutPaddingAndWithoutTokenWhenUnsecured() {
    Keystore ks = Keystore.open(dir.resolve("k.json"));
    ks.put("inbox", TestMailboxes.mailbox(relay, false));
    JsonObject json = new JsonObject(ks.toJson());

    assertThat(json.getString("format")).isEqualTo("sealpost-keystore");
    assertThat(json.getInteger("version")).isEqualTo(1);
    JsonObject m = json.getJsonArray("mailboxes").getJsonObject(0);
    assertThat(m.fieldNames())
        .containsExactlyInAnyOrder(
            "name",
            "relay",
            "recipient_id",
            "sender_id",
            "relay_dh_public",
            "queue_private_key",
            "sealing_private_key");
    assertThat(m.getString("recipient_id")).hasSize(43).doesNotContain("=");
    assertThat(m.getString("relay")).isEqualTo(relay.format());
  }

  @Test
  void unknownVersionAndBrokenFieldsAreRefusedByName() throws IOException {
    Keystore ks = Keystore.open(dir.resolve("k.json"));
    ks.put("inbox", TestMailboxes.mailbox(relay, false));
    JsonObject good = new JsonObject(ks.toJson());

    JsonObject v2 = good.copy().put("version", 2);
    JsonObject shortId = good.copy();
    shortId.getJsonArray("mailboxes").getJsonObject(0).put("sender_id", "AAAA");
    JsonObject badRelay = good.copy();
    badRelay.getJsonArray("mailboxes").getJsonObject(0).put("relay", "http://x");

    for (var c :
        List.of(
            List.of(v2.encode(), "version"),
            List.of(shortId.encode(), "mailboxes[0].sender_id"),
            List.of(badRelay.encode(), "mailboxes[0].relay"),
            List.of("not json", "not JSON"))) {
      Path file = dir.resolve("bad.json");
      Files.writeString(file, c.get(0), StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      assertThatThrownBy(() -> Keystore.load(file))
          .isInstanceOf(SealpostException.class)
          .hasMessageContaining(c.get(1));
    }
  }

  @Test
  void exportedJsonImportsIntoAnotherFile() {
    Keystore ks = Keystore.open(dir.resolve("a.json"));
    ks.identityOrCreate(RandomSource.secure());
    Mailbox m = TestMailboxes.mailbox(relay, true);
    ks.put("inbox", m);

    Keystore imported = Keystore.fromJson(dir.resolve("b.json"), ks.toJson());
    imported.save();

    assertThat(Keystore.load(dir.resolve("b.json")).mailbox("inbox")).contains(m);
    assertThat(imported.toJson()).isEqualTo(ks.toJson());
  }

  @Test
  void namesAreRestrictedToASafeAlphabet() {
    Keystore ks = Keystore.open(dir.resolve("k.json"));
    Mailbox m = TestMailboxes.mailbox(relay, false);
    assertThatThrownBy(() -> ks.put("../etc", m)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ks.put("", m)).isInstanceOf(IllegalArgumentException.class);
    ks.put("work.inbox_2-b", m);
    assertThat(ks.mailboxes()).containsKey("work.inbox_2-b");
  }
}
