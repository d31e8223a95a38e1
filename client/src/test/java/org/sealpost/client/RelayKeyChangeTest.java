package org.sealpost.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.proto.address.MailboxAddress;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.proto.address.Transport;

/** issue 12: applying an announced successor key to stored addresses and mailboxes. */
class RelayKeyChangeTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  @TempDir Path dir;

  private static byte[] key() {
    byte[] k = new byte[32];
    RANDOM.nextBytes(k);
    return k;
  }

  @Test
  void movesEveryAddressPinningThePreviousKeyAliasesIncludedAndNothingElse() throws Exception {
    byte[] oldKey = key();
    byte[] newKey = key();
    RelayAddress pinned = RelayAddress.of(Transport.TLS, oldKey, "relay.test", 443, 16_359);
    RelayAddress alias = RelayAddress.of(Transport.PLAIN, oldKey, "127.0.0.1", 8080, 16_359);
    RelayAddress other = RelayAddress.of(Transport.TLS, key(), "relay.test", 443, 16_359);
    RelayKeyChange change =
        new RelayKeyChange(pinned, pinned.withRelayKey(newKey), Instant.ofEpochSecond(1));

    assertThat(change.apply(pinned).relayKey()).isEqualTo(newKey);
    RelayAddress movedAlias = change.apply(alias);
    assertThat(movedAlias.relayKey()).isEqualTo(newKey);
    assertThat(movedAlias.authority()).isEqualTo("127.0.0.1:8080");
    assertThat(movedAlias.transport()).isEqualTo(Transport.PLAIN);
    assertThat(change.apply(other)).isSameAs(other);

    Mailbox mailbox = TestMailboxes.mailbox(pinned, true);
    Mailbox moved = change.apply(mailbox);
    assertThat(moved.relay().relayKey()).isEqualTo(newKey);
    assertThat(moved.recipientId()).isEqualTo(mailbox.recipientId());
    assertThat(moved.sendToken().orElseThrow()).isEqualTo(mailbox.sendToken().orElseThrow());
    MailboxAddress text = MailboxAddress.parse(moved.address().format()); // valid checksum
    assertThat(text).isEqualTo(change.apply(mailbox.address()));
    assertThat(text.format()).isNotEqualTo(mailbox.address().format());
  }

  @Test
  void keystoreAppliesAChangeToItsMailboxesAndFirstRelay() throws Exception {
    byte[] oldKey = key();
    RelayAddress pinned = RelayAddress.of(Transport.TLS, oldKey, "relay.test", 443, 16_359);
    RelayAddress other = RelayAddress.of(Transport.TLS, key(), "other.test", 443, 16_359);
    Keystore keystore = Keystore.open(dir.resolve("keystore.json"));
    keystore.put("a", TestMailboxes.mailbox(pinned, false));
    keystore.put("b", TestMailboxes.mailbox(other, false));
    keystore.setFirstRelay(pinned);
    RelayKeyChange change =
        new RelayKeyChange(pinned, pinned.withRelayKey(key()), Instant.ofEpochSecond(1));

    assertThat(keystore.apply(change)).isEqualTo(2);
    assertThat(keystore.apply(change)).isZero(); // already moved
    keystore.save();

    Keystore reloaded = Keystore.load(dir.resolve("keystore.json"));
    assertThat(reloaded.mailbox("a").orElseThrow().relay()).isEqualTo(change.successor());
    assertThat(reloaded.mailbox("b").orElseThrow().relay()).isEqualTo(other);
    assertThat(reloaded.firstRelay()).contains(change.successor());
  }
}
