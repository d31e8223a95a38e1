package org.sealpost.relay.forward;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.proto.address.Transport;

class DestinationsTest {
  private static RelayAddress at(String host) throws Exception {
    return RelayAddress.of(Transport.TLS, new byte[32], host, 443, RelayAddress.DEFAULT_BLOCK_SIZE);
  }

  @Test
  void privateAndLoopbackLiteralsAreRefusedUnlessAllowed() throws Exception {
    for (String host :
        new String[] {
          "127.0.0.1",
          "10.1.2.3",
          "192.168.0.1",
          "172.16.5.4",
          "169.254.1.1",
          "0.0.0.0",
          "100.64.0.1",
          "::1",
          "fd00::1",
          "fe80::1",
          "localhost"
        }) {
      assertThat(Destinations.refused(at(host), false)).as(host).isTrue();
      assertThat(Destinations.refused(at(host), true)).as(host).isFalse();
    }
  }

  @Test
  void publicAddressesAndNamesPass() throws Exception {
    for (String host : new String[] {"203.0.113.7", "2001:db8::1", "relay.example.org"}) {
      assertThat(Destinations.refused(at(host), false)).as(host).isFalse();
    }
  }

  @Test
  void onionDestinationsAreRefusedWithoutTor() throws Exception {
    String onion = "qcayfa4eqwdipcejrkfyzdmor6ijdeutsskznf4ytgnjxhe5t2pqncqd.onion";
    assertThat(Destinations.refused(at(onion), true)).isTrue();
  }

  @Test
  void destinationErrorsOtherThanRefusalsOfTheRequestBecomeForward() {
    assertThat(RelayLink.passedOn(org.sealpost.proto.v1.ErrorCode.ERROR_CODE_REPLAY))
        .isEqualTo(org.sealpost.proto.v1.ErrorCode.ERROR_CODE_REPLAY);
    assertThat(RelayLink.passedOn(org.sealpost.proto.v1.ErrorCode.ERROR_CODE_PROHIBITED))
        .isEqualTo(org.sealpost.proto.v1.ErrorCode.ERROR_CODE_FORWARD);
    assertThat(RelayLink.passedOn(org.sealpost.proto.v1.ErrorCode.ERROR_CODE_INTERNAL))
        .isEqualTo(org.sealpost.proto.v1.ErrorCode.ERROR_CODE_FORWARD);
  }
}
