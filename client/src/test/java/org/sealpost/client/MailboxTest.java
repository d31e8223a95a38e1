package org.sealpost.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.sealpost.proto.address.MailboxAddress;
import org.sealpost.proto.address.RelayAddress;

class MailboxTest {
  private final RelayAddress relay = TestMailboxes.relay("relay.example", 8443);

  @Test
  void addressCarriesSenderIdSealingKeyAndTokenAndParsesBack() throws Exception {
    Mailbox m = TestMailboxes.mailbox(relay, false);
    byte[] token = new byte[16];
    token[3] = 7;
    Mailbox secured = m.withSendToken(token);

    MailboxAddress parsed = MailboxAddress.parse(secured.address().format());

    assertThat(parsed.relay()).isEqualTo(relay);
    assertThat(parsed.senderId()).isEqualTo(m.senderId());
    assertThat(parsed.sealingKey()).isEqualTo(m.sealingKey().publicKey());
    assertThat(parsed.sendToken()).hasValueSatisfying(t -> assertThat(t).isEqualTo(token));
    assertThat(MailboxAddress.parse(m.address().format()).sendToken()).isEmpty();
  }

  @Test
  void addressNeverContainsTheRecipientIdOrPrivateKeys() {
    Mailbox m = TestMailboxes.mailbox(relay, true);
    String text = m.address().format();
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();

    assertThat(text)
        .doesNotContain(b64.encodeToString(m.recipientId()))
        .doesNotContain(b64.encodeToString(m.sealingKey().privateKey()))
        .doesNotContain(b64.encodeToString(m.queueKey().privateKey()));
  }

  @Test
  void toStringShowsOnlyTheRelayHost() {
    Mailbox m = TestMailboxes.mailbox(relay, true);
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();

    assertThat(m.toString())
        .contains("relay.example:8443")
        .doesNotContain(b64.encodeToString(m.senderId()))
        .doesNotContain(b64.encodeToString(m.recipientId()));
  }

  @Test
  void queueKeysMatchWhatTheRelayDerives() throws Exception {
    var relayQueueKey =
        org.sealpost.proto.crypto.X25519KeyPair.generate(
            org.sealpost.proto.crypto.RandomSource.secure());
    var recipientKey =
        org.sealpost.proto.crypto.X25519KeyPair.generate(
            org.sealpost.proto.crypto.RandomSource.secure());
    Mailbox m =
        new Mailbox(
            relay,
            new byte[32],
            new byte[32],
            relayQueueKey.publicKey(),
            recipientKey,
            recipientKey,
            null);

    var relaySide =
        org.sealpost.proto.crypto.QueueKeys.deriveForRelay(relayQueueKey, recipientKey.publicKey());

    assertThat(m.queueKeys().toBytes()).isEqualTo(relaySide.toBytes());
  }
}
