package org.sealpost.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.RecordComponent;
import org.junit.jupiter.api.Test;
import org.sealpost.relay.config.RelayConfig;
import org.sealpost.relay.config.Setting;

class RelayReloadTest {
  @Test
  void everySettingReadOnlyAtStartIsNamedByItsConfigKey() {
    for (RecordComponent c : RelayConfig.class.getRecordComponents()) {
      String key = RelayReload.keyOf(c.getName());
      if (key.endsWith(".*") || key.startsWith("delivery.*")) {
        continue; // groups of nested settings
      }
      assertThat(Setting.byKey(key)).as("config key for %s", c.getName()).isPresent();
    }
    assertThat(RelayReload.keyOf("handshakeDeadline")).isEqualTo("connection.handshake-deadline");
    assertThat(RelayReload.keyOf("queueCreateRate")).isEqualTo("queue.create-rate");
    assertThat(RelayReload.keyOf("queueCreateRateGlobal")).isEqualTo("queue.create-rate-global");
    assertThat(RelayReload.keyOf("publicTransport")).isEqualTo("public.scheme");
  }
}
