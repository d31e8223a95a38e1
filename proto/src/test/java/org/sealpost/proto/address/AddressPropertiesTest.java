package org.sealpost.proto.address;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The address parsers on random and mutated input: a typed {@link AddressException} or a valid
 * address that formats back to a parseable text, never another exception; and every address built
 * from valid parts survives format → parse unchanged.
 */
class AddressPropertiesTest {

  private static void parseTyped(String text) {
    try {
      RelayAddress relay = RelayAddress.parse(text);
      assertThat(RelayAddress.parse(relay.format())).isEqualTo(relay);
    } catch (AddressException e) {
      assertThat(e.error()).isNotNull();
    }
    try {
      MailboxAddress mailbox = MailboxAddress.parse(text);
      assertThat(MailboxAddress.parse(mailbox.format())).isEqualTo(mailbox);
    } catch (AddressException e) {
      assertThat(e.error()).isNotNull();
    }
  }

  @Property(tries = 500)
  void randomStringsGiveATypedError(@ForAll @Size(max = 600) String text) {
    parseTyped(text);
  }

  @Property(tries = 500)
  void randomAsciiAfterTheSchemeGivesATypedError(
      @ForAll("asciiTails") String tail, @ForAll boolean plain) {
    parseTyped((plain ? "sealpost+ws://" : "sealpost://") + tail);
  }

  @Property(tries = 1000)
  void mutatedValidAddressesParseOrFailTyped(
      @ForAll("mailboxes") MailboxAddress address,
      @ForAll @IntRange(min = 0, max = 400) int position,
      @ForAll("addressChars") char replacement,
      @ForAll @IntRange(min = 0, max = 2) int mutation) {
    String text = address.format();
    int at = position % (text.length() + 1);
    String mutated =
        switch (mutation) {
          case 0 -> text.substring(0, at); // truncated
          case 1 -> text.substring(0, at) + replacement + text.substring(at); // inserted
          default ->
              at < text.length()
                  ? text.substring(0, at) + replacement + text.substring(at + 1)
                  : text; // substituted
        };
    parseTyped(mutated);
  }

  @Property(tries = 500)
  void everyValidMailboxAddressRoundTrips(@ForAll("mailboxes") MailboxAddress address)
      throws AddressException {
    String text = address.format();
    assertThat(text.length()).isLessThanOrEqualTo(MailboxAddress.MAX_LENGTH);
    assertThat(MailboxAddress.parse(text)).isEqualTo(address);
    assertThat(RelayAddress.parse(address.relay().format())).isEqualTo(address.relay());
  }

  @Provide
  Arbitrary<String> asciiTails() {
    return Arbitraries.strings().withCharRange('!', '~').ofMaxLength(200);
  }

  @Provide
  Arbitrary<Character> addressChars() {
    return Arbitraries.oneOf(
        Arbitraries.of('@', ':', '/', '.', '?', '=', '[', ']', '%', '#', ' ', '-', '_', '0', 'A'),
        Arbitraries.chars().range('!', '~'));
  }

  private static Arbitrary<byte[]> bytes(int n) {
    return Arbitraries.bytes().array(byte[].class).ofSize(n);
  }

  private static Arbitrary<String> hosts() {
    Arbitrary<String> label =
        Arbitraries.strings()
            .withChars("abcdefghijklmnopqrstuvwxyz0123456789")
            .ofMinLength(1)
            .ofMaxLength(20);
    Arbitrary<String> dns =
        label.list().ofMinSize(1).ofMaxSize(4).map(l -> String.join(".", l) + ".example");
    Arbitrary<String> ipv4 =
        Arbitraries.integers()
            .between(0, 255)
            .list()
            .ofSize(4)
            .map(l -> l.get(0) + "." + l.get(1) + "." + l.get(2) + "." + l.get(3));
    Arbitrary<String> ipv6 =
        Arbitraries.integers()
            .between(0, 0xFFFF)
            .list()
            .ofSize(8)
            .map(
                l -> {
                  StringBuilder sb = new StringBuilder();
                  for (int i = 0; i < 8; i++) {
                    sb.append(i == 0 ? "" : ":").append(Integer.toHexString(l.get(i)));
                  }
                  return sb.toString();
                });
    return Arbitraries.oneOf(dns, ipv4, ipv6, Arbitraries.just("::1"));
  }

  @Provide
  Arbitrary<MailboxAddress> mailboxes() {
    Arbitrary<RelayAddress> relays =
        Combinators.combine(
                Arbitraries.of(Transport.class),
                bytes(32),
                hosts(),
                Arbitraries.integers().between(1, 65_535),
                Arbitraries.integers().between(1024, 65_535))
            .as(
                (t, key, host, port, b) -> {
                  try {
                    return RelayAddress.of(t, key, host, port, b);
                  } catch (AddressException e) {
                    throw new AssertionError("generator made an invalid relay address", e);
                  }
                });
    Arbitrary<byte[]> tokens = Arbitraries.oneOf(bytes(16), Arbitraries.just(null));
    return Combinators.combine(relays, bytes(32), bytes(32), tokens)
        .as(
            (relay, sender, sealing, token) -> {
              try {
                return MailboxAddress.of(relay, sender, sealing, token);
              } catch (AddressException e) {
                throw new AssertionError("generator made an invalid mailbox address", e);
              }
            });
  }
}
