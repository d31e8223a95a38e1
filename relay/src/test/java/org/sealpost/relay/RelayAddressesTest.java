package org.sealpost.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RelayAddressesTest {
  private final byte[] key = new byte[32];

  {
    Arrays.fill(key, (byte) 0xfb);
  }

  @Test
  void defaultBlockSizeIsLeftOut() {
    assertThat(RelayAddresses.format(key, "relay.example", 8443, 16376))
        .isEqualTo("sealpost://-_v7-_v7-_v7-_v7-_v7-_v7-_v7-_v7-_v7-_v7-_s@relay.example:8443");
  }

  @Test
  void otherBlockSizesAndIpv6HostsAreWrittenOut() {
    assertThat(RelayAddresses.format(key, "::1", 9000, 4096)).endsWith("@[::1]:9000?b=4096");
  }
}
