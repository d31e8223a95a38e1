package org.sealpost.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.proto.address.Transport;
import org.sealpost.relay.tools.AddressTool;

/** The address a running relay prints is the one {@code sealpost relay address} prints. */
class RelayAddressIT {
  @TempDir Path tmp;

  @Test
  void aRelayBehindAProxyPrintsThePublicPortAndSchemeLikeTheAddressCommand() throws Exception {
    Path data = tmp.resolve("data");
    String printed;
    try (EmbeddedRelay relay =
        EmbeddedRelay.start(
            data,
            false,
            Map.of(
                "public-host", "relay.example.org",
                "public.port", "443",
                "public.scheme", "sealpost"))) {
      printed = relay.running().relayAddress();
      assertThat(relay.port()).isNotEqualTo(443);
    }
    RelayAddress parsed = RelayAddress.parse(printed);
    assertThat(parsed.transport()).isEqualTo(Transport.TLS);
    assertThat(parsed.authority()).isEqualTo("relay.example.org:443");

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code =
        new AddressTool(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
            .run(
                List.of(
                    "--data-dir", data.toString(),
                    "--tls-enabled", "false",
                    "--public-host", "relay.example.org",
                    "--public-port", "443",
                    "--public-scheme", "sealpost"),
                Map.of());
    assertThat(code).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8).strip()).isEqualTo(printed);
  }
}
