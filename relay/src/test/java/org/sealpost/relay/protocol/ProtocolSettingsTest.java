package org.sealpost.relay.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sealpost.relay.config.RelayConfig;
import org.sealpost.relay.config.RelayConfigLoader;

class ProtocolSettingsTest {

  @Test
  void theDefaultCreateQueueLimitIsABurstOf16ThenTwoPerSecond() {
    ProtocolSettings s = ProtocolSettings.from(RelayConfig.defaults());
    assertThat(s.createBurst()).isEqualTo(16);
    assertThat(s.createPerSecond()).isEqualTo(2.0);
  }

  @Test
  void theCreateQueueLimitComesFromTheConfiguration() {
    ProtocolSettings s =
        ProtocolSettings.from(
            RelayConfigLoader.fromSettings(
                Map.of("queue.create-burst", "500", "queue.create-rate", "0.5")));
    assertThat(s.createBurst()).isEqualTo(500);
    assertThat(s.createPerSecond()).isEqualTo(0.5);
  }

  @Test
  void thePendingCacheSizeReachesTheStore() {
    assertThat(ProtocolApplication.mailboxConfig(RelayConfig.defaults()).pendingCacheBytes())
        .isEqualTo(32L << 20);
    RelayConfig off = RelayConfigLoader.fromSettings(Map.of("queue.pending-cache-mib", "0"));
    assertThat(ProtocolApplication.mailboxConfig(off).pendingCacheBytes()).isZero();
  }
}
