package org.sealpost.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.proto.address.Transport;

class RelayAddressesTest {
  private final byte[] key = new byte[32];

  {
    Arrays.fill(key, (byte) 0xfb);
  }

  @Test
  void defaultBlockSizeIsLeftOut() {
    assertThat(RelayAddresses.format(key, "relay.example", 8443, 16359, true))
        .isEqualTo("sealpost://-_v7-_v7-_v7-_v7-_v7-_v7-_v7-_v7-_v7-_v7-_s@relay.example:8443");
  }

  @Test
  void otherBlockSizesAndIpv6HostsAreWrittenOut() {
    assertThat(RelayAddresses.format(key, "::1", 9000, 4096, true)).endsWith("@[::1]:9000?b=4096");
  }

  @Test
  void plainWebSocketModePrintsAnAddressClientsDialWithoutTls() throws Exception {
    String printed = RelayAddresses.format(key, "127.0.0.1", 8080, 16359, false);
    assertThat(printed).startsWith("sealpost+ws://");
    RelayAddress parsed = RelayAddress.parse(printed);
    assertThat(parsed.transport()).isEqualTo(Transport.PLAIN);
    assertThat(parsed.relayKey()).isEqualTo(key);
    assertThat(parsed.port()).isEqualTo(8080);
  }
}
