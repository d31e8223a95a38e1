package org.sealpost.proto.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Checks the parser and formatter against docs/test-vectors/addresses.json. */
class AddressVectorsTest {
  private static final Path VECTORS = Path.of("..", "docs", "test-vectors", "addresses.json");

  private static Stream<Arguments> entries(String group) throws IOException {
    JsonNode root = new ObjectMapper().readTree(VECTORS.toFile());
    return StreamSupport.stream(root.get(group).spliterator(), false)
        .map(n -> Arguments.of(n.get("address").asText(), n));
  }

  static Stream<Arguments> valid() throws IOException {
    return entries("valid");
  }

  static Stream<Arguments> invalid() throws IOException {
    return entries("invalid");
  }

  private static byte[] hex(JsonNode node) {
    return HexFormat.of().parseHex(node.asText());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void validAddressParsesToItsPartsAndFormatsCanonically(String address, JsonNode v)
      throws AddressException {
    RelayAddress relay;
    String formatted;
    if (v.get("kind").asText().equals("mailbox")) {
      MailboxAddress mailbox = MailboxAddress.parse(address);
      relay = mailbox.relay();
      formatted = mailbox.format();
      assertThat(mailbox.senderId()).isEqualTo(hex(v.get("sender_id_hex")));
      assertThat(mailbox.sealingKey()).isEqualTo(hex(v.get("sealing_key_hex")));
      if (v.get("send_token_hex").isNull()) {
        assertThat(mailbox.sendToken()).isEmpty();
      } else {
        assertThat(mailbox.sendToken())
            .hasValueSatisfying(t -> assertThat(t).isEqualTo(hex(v.get("send_token_hex"))));
      }
      assertThat(MailboxAddress.parse(formatted)).isEqualTo(mailbox);
    } else {
      relay = RelayAddress.parse(address);
      formatted = relay.format();
      assertThat(RelayAddress.parse(formatted)).isEqualTo(relay);
    }
    assertThat(relay.transport().name()).isEqualToIgnoringCase(v.get("transport").asText());
    assertThat(relay.relayKey()).isEqualTo(hex(v.get("relay_key_hex")));
    assertThat(relay.host()).isEqualTo(v.get("host").asText());
    assertThat(relay.port()).isEqualTo(v.get("port").asInt());
    assertThat(relay.blockSize()).isEqualTo(v.get("block_size").asInt());
    assertThat(relay.envelopeSize()).isEqualTo(v.get("envelope_size").asInt());
    assertThat(relay.webSocketUrl()).isEqualTo(v.get("websocket_url").asText());
    assertThat(formatted).isEqualTo(v.get("canonical").asText());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void invalidAddressIsRejectedWithItsError(String address, JsonNode v) {
    AddressError expected = AddressError.valueOf(v.get("error").asText());
    if (v.get("parse_as").asText().equals("mailbox")) {
      assertThatThrownBy(() -> MailboxAddress.parse(address))
          .isInstanceOfSatisfying(
              AddressException.class, e -> assertThat(e.error()).isEqualTo(expected));
    } else {
      assertThatThrownBy(() -> RelayAddress.parse(address))
          .isInstanceOfSatisfying(
              AddressException.class, e -> assertThat(e.error()).isEqualTo(expected));
    }
  }
}
