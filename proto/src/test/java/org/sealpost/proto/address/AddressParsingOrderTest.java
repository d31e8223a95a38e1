package org.sealpost.proto.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The parsing procedure of docs/protocol.md §8: which part is blamed for a stray character, what
 * the length limits count, and that the kind is decided only after a complete parse.
 */
class AddressParsingOrderTest {
  private static final String KEY = Base64Url.encode(filled(32, 7));
  private static final String SENDER = Base64Url.encode(filled(32, 8));
  private static final String SEALING = Base64Url.encode(filled(32, 9));
  private static final String TOKEN = Base64Url.encode(filled(16, 10));
  private static final String RELAY = "sealpost://" + KEY + "@relay.example.org:443";
  private static final String PATH = RELAY + "/m/" + SENDER + "." + SEALING;
  private static final String CHECK = Base64Url.encode(AddressChecksum.of(PATH));
  private static final String MAILBOX = PATH + "." + CHECK;

  private static byte[] filled(int n, int v) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) v);
    return b;
  }

  private static AddressError relayError(String text) {
    return catchThrowableOfType(AddressException.class, () -> RelayAddress.parse(text)).error();
  }

  private static AddressError mailboxError(String text) {
    return catchThrowableOfType(AddressException.class, () -> MailboxAddress.parse(text)).error();
  }

  @Test
  void aFragmentIsBlamedOnThePartItEndsUpIn() {
    assertThat(relayError(RELAY + "#x")).isEqualTo(AddressError.PORT);
    assertThat(relayError("sealpost://" + KEY + "@relay.exa#mple.org:443"))
        .isEqualTo(AddressError.HOST);
    assertThat(mailboxError(PATH + "#x." + CHECK)).isEqualTo(AddressError.SEALING_KEY);
    assertThat(mailboxError(PATH + "." + TOKEN + "#x." + CHECK)).isEqualTo(AddressError.SEND_TOKEN);
    assertThat(mailboxError(MAILBOX + "#x")).isEqualTo(AddressError.CHECKSUM);
    assertThat(relayError(RELAY + "?b=4096#x")).isEqualTo(AddressError.BLOCK_SIZE);
  }

  @Test
  void aTrailingSlashOnARelayAddressIsAMailboxPathError() {
    assertThat(relayError(RELAY + "/")).isEqualTo(AddressError.MAILBOX_PATH);
    assertThat(relayError(RELAY + "/v1")).isEqualTo(AddressError.MAILBOX_PATH);
  }

  @Test
  void theRelayAddressLimitOf255CountsTheBlockSizeQuery() throws AddressException {
    String prefix = "sealpost://" + KEY + "@";
    String suffix = ":443?b=4096";
    // a DNS name of labels of 63 characters, sized so the whole text is exactly 255 characters
    String host = dnsName(255 - prefix.length() - suffix.length());
    assertThat(RelayAddress.parse(prefix + host + suffix).format()).hasSize(255);
    String longer = dnsName(256 - prefix.length() - suffix.length());
    assertThat(relayError(prefix + longer + suffix)).isEqualTo(AddressError.SYNTAX);
  }

  @Test
  void theKindIsDecidedOnlyAfterTheWholeTextParsed() {
    assertThat(relayError(MAILBOX)).isEqualTo(AddressError.WRONG_KIND);
    assertThat(mailboxError(RELAY)).isEqualTo(AddressError.WRONG_KIND);
    // a mailbox address with a bad query, where a relay address is expected: the query is blamed
    assertThat(relayError(MAILBOX + "?b=12")).isEqualTo(AddressError.BLOCK_SIZE);
    // a relay address with a bad port, where a mailbox address is expected: the port is blamed
    assertThat(mailboxError("sealpost://" + KEY + "@relay.example.org:0"))
        .isEqualTo(AddressError.PORT);
  }

  @Test
  void theChecksumIsCheckedOnlyAfterEveryPartParsed() {
    // a wrong checksum is blamed only when nothing before it is wrong
    assertThat(mailboxError(PATH + ".AAAAAAAA")).isEqualTo(AddressError.CHECKSUM);
    assertThat(mailboxError(PATH + ".AAAAAAAA?b=12")).isEqualTo(AddressError.BLOCK_SIZE);
    assertThat(
            mailboxError(
                RELAY.replace(":443", ":0") + "/m/" + SENDER + "." + SEALING + "." + CHECK))
        .isEqualTo(AddressError.PORT);
  }

  @Test
  void anAddressFromBeforeChecksumsIsRefusedAsSuch() {
    AddressException e =
        catchThrowableOfType(AddressException.class, () -> MailboxAddress.parse(PATH));
    assertThat(e.error()).isEqualTo(AddressError.MAILBOX_PATH);
    assertThat(e.getMessage())
        .contains("no checksum")
        .doesNotContain(SENDER)
        .doesNotContain(SEALING);
  }

  /** A valid DNS name of exactly {@code length} characters ending in ".org". */
  private static String dnsName(int length) {
    StringBuilder b = new StringBuilder();
    int rest = length - 4; // ".org"
    while (rest > 0) {
      int label = Math.min(63, rest == 64 ? 62 : rest);
      if (rest - label == 1) {
        label--; // never leave a lone dot
      }
      if (b.length() > 0) {
        b.append('.');
        rest--;
        label = Math.min(label, rest);
      }
      b.append("a".repeat(label));
      rest -= label;
    }
    return b.append(".org").toString();
  }
}
