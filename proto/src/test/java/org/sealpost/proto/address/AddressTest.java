package org.sealpost.proto.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AddressTest {
  private static final byte[] KEY = filled(32, 7);
  private static final byte[] SENDER = filled(32, 8);
  private static final byte[] SEALING = filled(32, 9);
  private static final byte[] TOKEN = filled(16, 10);

  private static byte[] filled(int n, int v) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) v);
    return b;
  }

  @Test
  void buildsAndFormatsARelayAddress() throws AddressException {
    RelayAddress a = RelayAddress.of(Transport.TLS, KEY, "Relay.Example.org", 443, 16_359);
    assertThat(a.format())
        .isEqualTo("sealpost://" + Base64Url.encode(KEY) + "@relay.example.org:443");
    assertThat(a.webSocketUrl()).isEqualTo("wss://relay.example.org:443/v1");
    assertThat(RelayAddress.parse(a.format())).isEqualTo(a).hasSameHashCodeAs(a);
  }

  @Test
  void ipv6HostsAreBracketedOnlyInText() throws AddressException {
    RelayAddress a = RelayAddress.of(Transport.PLAIN, KEY, "::1", 8080, 4096);
    assertThat(a.host()).isEqualTo("::1");
    assertThat(a.authority()).isEqualTo("[::1]:8080");
    assertThat(a.format()).endsWith("@[::1]:8080?b=4096");
    assertThat(a.webSocketUrl()).isEqualTo("ws://[::1]:8080/v1");
  }

  @Test
  void ofValidatesEveryPart() {
    assertThatThrownBy(() -> RelayAddress.of(Transport.TLS, new byte[31], "a", 1, 16_359))
        .isInstanceOfSatisfying(
            AddressException.class, e -> assertThat(e.error()).isEqualTo(AddressError.RELAY_KEY));
    assertThatThrownBy(() -> RelayAddress.of(Transport.TLS, KEY, "a b", 1, 16_359))
        .isInstanceOfSatisfying(
            AddressException.class, e -> assertThat(e.error()).isEqualTo(AddressError.HOST));
    assertThatThrownBy(() -> RelayAddress.of(Transport.TLS, KEY, "a", 0, 16_359))
        .isInstanceOfSatisfying(
            AddressException.class, e -> assertThat(e.error()).isEqualTo(AddressError.PORT));
    assertThatThrownBy(() -> RelayAddress.of(Transport.TLS, KEY, "a", 1, 1000))
        .isInstanceOfSatisfying(
            AddressException.class, e -> assertThat(e.error()).isEqualTo(AddressError.BLOCK_SIZE));
  }

  @Test
  void mailboxAddressRoundTripsWithAndWithoutToken() throws AddressException {
    RelayAddress relay = RelayAddress.of(Transport.TLS, KEY, "127.0.0.1", 7443, 16_359);
    MailboxAddress open = MailboxAddress.of(relay, SENDER, SEALING, null);
    MailboxAddress secured = MailboxAddress.of(relay, SENDER, SEALING, TOKEN);
    assertThat(MailboxAddress.parse(open.format())).isEqualTo(open);
    assertThat(MailboxAddress.parse(secured.format())).isEqualTo(secured);
    assertThat(open).isNotEqualTo(secured);
    assertThat(secured.format())
        .endsWith(
            "/m/"
                + Base64Url.encode(SENDER)
                + "."
                + Base64Url.encode(SEALING)
                + "."
                + Base64Url.encode(TOKEN)
                + "."
                + Base64Url.encode(
                    AddressChecksum.of(secured.format().replaceAll("\\.[^.]+$", ""))));
  }

  @Test
  void accessorsReturnCopies() throws AddressException {
    RelayAddress relay = RelayAddress.of(Transport.TLS, KEY, "a", 1, 16_359);
    MailboxAddress m = MailboxAddress.of(relay, SENDER, SEALING, TOKEN);
    relay.relayKey()[0] ^= 1;
    m.senderId()[0] ^= 1;
    m.sendToken().orElseThrow()[0] ^= 1;
    assertThat(relay.relayKey()).isEqualTo(KEY);
    assertThat(m.senderId()).isEqualTo(SENDER);
    assertThat(m.sendToken()).hasValueSatisfying(t -> assertThat(t).isEqualTo(TOKEN));
  }

  @Test
  void toStringLeavesOutKeysIdsAndTokens() throws AddressException {
    RelayAddress relay = RelayAddress.of(Transport.TLS, KEY, "relay.example.org", 443, 4096);
    MailboxAddress m = MailboxAddress.of(relay, SENDER, SEALING, TOKEN);
    for (String text : new String[] {relay.toString(), m.toString()}) {
      assertThat(text)
          .contains("relay.example.org:443")
          .doesNotContain(Base64Url.encode(KEY))
          .doesNotContain(Base64Url.encode(SENDER))
          .doesNotContain(Base64Url.encode(SEALING))
          .doesNotContain(Base64Url.encode(TOKEN));
    }
  }

  @Test
  void errorMessagesDoNotEchoTheRejectedParts() throws AddressException {
    String sender = Base64Url.encode(SENDER);
    String good =
        MailboxAddress.of(
                RelayAddress.of(Transport.TLS, KEY, "a", 1, 16_359), SENDER, SEALING, null)
            .format();
    String badSealing = good.substring(0, good.length() - 1) + "!";
    assertThatThrownBy(() -> MailboxAddress.parse(badSealing))
        .isInstanceOf(AddressException.class)
        .message()
        .doesNotContain(sender)
        .doesNotContain(Base64Url.encode(KEY))
        .doesNotContain(Base64Url.encode(SEALING).substring(0, 20));
  }

  @Test
  void recognisesOnionHosts() throws AddressException {
    String onion = "qcayfa4eqwdipcejrkfyzdmor6ijdeutsskznf4ytgnjxhe5t2pqncqd.onion";
    assertThat(RelayAddress.of(Transport.PLAIN, KEY, onion, 80, 16_359).isOnion()).isTrue();
    assertThat(RelayAddress.of(Transport.PLAIN, KEY, "example.org", 80, 16_359).isOnion())
        .isFalse();
  }

  @Test
  void strictBase64RejectsNonCanonicalEncodings() {
    String key = Base64Url.encode(KEY);
    assertThat(Base64Url.decode(key, 32)).isEqualTo(KEY);
    // 'A' + 1 in the last character sets one of the two unused bits
    char last = key.charAt(42);
    String tweaked = key.substring(0, 42) + (char) (last + 1);
    assertThat(Base64Url.decode(tweaked, 32)).isNull();
    assertThat(Base64Url.decode(key + "=", 32)).isNull();
    assertThat(Base64Url.decode(key.substring(1), 32)).isNull();
  }

  @Test
  void ipv6TextFormsFollowRfc4291() {
    assertThat(Hosts.isIpv6("::")).isTrue();
    assertThat(Hosts.isIpv6("1:2:3:4:5:6:7:8")).isTrue();
    assertThat(Hosts.isIpv6("1:2:3:4:5:6:7::")).isTrue();
    assertThat(Hosts.isIpv6("::ffff:10.0.0.1")).isTrue();
    assertThat(Hosts.isIpv6("1:2:3:4:5:6:10.0.0.1")).isTrue();
    assertThat(Hosts.isIpv6("1:2:3:4:5:6:7")).isFalse();
    assertThat(Hosts.isIpv6("1::2::3")).isFalse();
    assertThat(Hosts.isIpv6(":1:2:3:4:5:6:7")).isFalse();
    assertThat(Hosts.isIpv6("12345::")).isFalse();
    assertThat(Hosts.isIpv6("1.2.3.4::")).isFalse();
    assertThat(Hosts.isIpv6("::g")).isFalse();
  }
}
