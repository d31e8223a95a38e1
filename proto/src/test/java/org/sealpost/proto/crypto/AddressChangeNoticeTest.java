package org.sealpost.proto.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sealpost.proto.crypto.CryptoAssertions.assertFails;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.sealpost.proto.crypto.CryptoException.Reason;

class AddressChangeNoticeTest {
  private final X25519KeyPair old = key("old");
  private final X25519KeyPair contact = key("contact");
  private final byte[] senderId = TestVectors.seed("notice test sender id", 32);

  private static X25519KeyPair key(String label) {
    return X25519KeyPair.fromPrivateKey(TestVectors.seed("notice test " + label, 32));
  }

  @Test
  void contactOpensWhatTheOldMailboxMade() throws CryptoException {
    byte[] content =
        AddressChangeNotice.create(old, senderId, TestVectors.NOTICE_ADDRESS, contact.publicKey());

    AddressChangeNotice notice = AddressChangeNotice.open(content, contact);

    assertThat(notice.newAddress()).isEqualTo(TestVectors.NOTICE_ADDRESS);
    assertThat(notice.oldSenderId()).isEqualTo(senderId);
    assertThat(notice.oldSealingKey()).isEqualTo(old.publicKey());
    assertThat(content).hasSize(125 + TestVectors.NOTICE_ADDRESS.length());
    assertThat(notice.toString()).doesNotContain("relay.example");
  }

  @Test
  void someoneWithoutTheOldSealingKeyCannotClaimTheOldAddress() throws CryptoException {
    // A forger knows the old address (its sealing public key) and the contact's, not rs_old.
    X25519KeyPair forger = key("forger");
    byte[] forged =
        AddressChangeNotice.create(forger, senderId, "sealpost://evil", contact.publicKey());
    byte[] claimed = forged.clone();
    System.arraycopy(old.publicKey(), 0, claimed, 27 + 32, 32);

    assertFails(Reason.AUTHENTICATION_FAILED, () -> AddressChangeNotice.open(claimed, contact));
  }

  @Test
  void aNoticeForOneContactDoesNotVerifyForAnother() throws CryptoException {
    byte[] content =
        AddressChangeNotice.create(old, senderId, TestVectors.NOTICE_ADDRESS, contact.publicKey());

    assertFails(
        Reason.AUTHENTICATION_FAILED, () -> AddressChangeNotice.open(content, key("other")));
  }

  @Test
  void ordinaryTextIsNotANotice() {
    byte[] text =
        "sealpost/1 address-changed is what I would write".getBytes(StandardCharsets.UTF_8);

    assertThat(AddressChangeNotice.looksLikeNotice(text)).isFalse();
    assertFails(Reason.MALFORMED, () -> AddressChangeNotice.open(text, contact));
  }

  @Test
  void refusesAnAddressItCouldNotCarry() {
    assertThatThrownBy(
            () -> AddressChangeNotice.create(old, senderId, "has space", contact.publicKey()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> AddressChangeNotice.create(old, senderId, "a".repeat(378), contact.publicKey()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
