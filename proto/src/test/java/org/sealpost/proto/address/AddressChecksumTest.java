package org.sealpost.proto.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A mistyped mailbox address is refused before anything is sent: changing any one character, or
 * swapping two neighbours, makes {@link MailboxAddress#parse} fail (docs/protocol.md §8), except a
 * change of letter case in the host, which names the same address.
 */
class AddressChecksumTest {
  // every printable ASCII character a typo could produce
  private static final String ALPHABET;

  static {
    StringBuilder b = new StringBuilder();
    for (char c = 0x21; c < 0x7F; c++) {
      b.append(c);
    }
    ALPHABET = b.toString();
  }

  private static List<MailboxAddress> samples() throws AddressException {
    Random random = new Random(12);
    List<MailboxAddress> out = new ArrayList<>();
    // a DNS name without a token, an IPv6 literal with a token and a block size
    String[][] relays = {{"relay.example.org", "443", "16359", ""}, {"::1", "8080", "4096", "t"}};
    for (String[] r : relays) {
      boolean token = !r[3].isEmpty();
      byte[] key = new byte[32];
      byte[] sender = new byte[32];
      byte[] sealing = new byte[32];
      byte[] sendToken = token ? new byte[16] : null;
      random.nextBytes(key);
      random.nextBytes(sender);
      random.nextBytes(sealing);
      if (sendToken != null) {
        random.nextBytes(sendToken);
      }
      Transport transport = token ? Transport.TLS : Transport.PLAIN;
      RelayAddress relay =
          RelayAddress.of(transport, key, r[0], Integer.parseInt(r[1]), Integer.parseInt(r[2]));
      out.add(MailboxAddress.of(relay, sender, sealing, sendToken));
    }
    return out;
  }

  private static int hostStart(String text) {
    return text.indexOf('@') + 1;
  }

  private static int hostEnd(String text) {
    return text.indexOf(':', text.indexOf(']') > 0 ? text.indexOf(']') : hostStart(text));
  }

  @Test
  void changingAnyOneCharacterIsRefused() throws AddressException {
    int refused = 0;
    for (MailboxAddress address : samples()) {
      String text = address.format();
      assertThat(MailboxAddress.parse(text)).isEqualTo(address);
      for (int i = 0; i < text.length(); i++) {
        for (int a = 0; a < ALPHABET.length(); a++) {
          char c = ALPHABET.charAt(a);
          if (c == text.charAt(i)) {
            continue;
          }
          String typo = text.substring(0, i) + c + text.substring(i + 1);
          boolean caseOnlyInHost =
              i >= hostStart(text)
                  && i < hostEnd(text)
                  && Character.toLowerCase(c) == Character.toLowerCase(text.charAt(i));
          if (caseOnlyInHost) {
            assertThat(MailboxAddress.parse(typo)).isEqualTo(address);
            continue;
          }
          AddressException e =
              catchThrowableOfType(AddressException.class, () -> MailboxAddress.parse(typo));
          assertThat(e).as("typo at %d of %s", i, address).isNotNull();
          refused++;
        }
      }
    }
    assertThat(refused).isGreaterThan(30_000);
  }

  @Test
  void swappingTwoNeighboursOrDroppingOneCharacterIsRefused() throws AddressException {
    for (MailboxAddress address : samples()) {
      String text = address.format();
      for (int i = 0; i + 1 < text.length(); i++) {
        if (text.charAt(i) != text.charAt(i + 1)) {
          String swapped =
              text.substring(0, i) + text.charAt(i + 1) + text.charAt(i) + text.substring(i + 2);
          assertThat(
                  catchThrowableOfType(AddressException.class, () -> MailboxAddress.parse(swapped)))
              .as("swap at %d", i)
              .isNotNull();
        }
        String dropped = text.substring(0, i) + text.substring(i + 1);
        assertThat(
                catchThrowableOfType(AddressException.class, () -> MailboxAddress.parse(dropped)))
            .as("drop at %d", i)
            .isNotNull();
      }
    }
  }

  @Test
  void aChangedSealingKeyWithTheOldChecksumIsACheckumError() throws AddressException {
    MailboxAddress address = samples().get(0);
    String text = address.format();
    int keyStart = text.indexOf('.', text.indexOf("/m/")) + 1;
    char original = text.charAt(keyStart + 5);
    String typo =
        text.substring(0, keyStart + 5)
            + (original == 'A' ? 'B' : 'A')
            + text.substring(keyStart + 6);
    AddressException e =
        catchThrowableOfType(AddressException.class, () -> MailboxAddress.parse(typo));
    assertThat(e.error()).isEqualTo(AddressError.CHECKSUM);
    assertThat(e.getMessage()).doesNotContain(text.substring(keyStart, keyStart + 43));
  }
}
