package org.sealpost.relay.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.mailbox.MailboxConfig;
import org.sealpost.relay.RelayApplication;
import org.sealpost.relay.config.RelayConfig;
import org.sealpost.relay.config.RelayConfigLoader;

class ProtocolApplicationTest {
  @Test
  void theRelayFindsTheProtocolApplicationByDefault() {
    // (the test class path also registers the infra's echo application)
    assertThat(
            ServiceLoader.load(RelayApplication.class).stream()
                .map(p -> p.type().getName())
                .toList())
        .contains(ProtocolApplication.class.getName());
  }

  @Test
  void storeSettingsFollowTheRelayConfiguration(@TempDir Path dir) {
    RelayConfig config =
        RelayConfigLoader.fromSettings(
            Map.of("data-dir", dir.toString(), "queue.quota", "64", "block-size", "4096"));
    MailboxConfig mailbox = ProtocolApplication.mailboxConfig(config);
    assertThat(mailbox.maxEnvelopeBytes()).isEqualTo(4096 - 512);
    assertThat(mailbox.queueMessageQuota()).isEqualTo(64);
    assertThat(mailbox.queueByteQuota()).isEqualTo(64L * (4096 - 512));
    assertThat(mailbox.masterKeyFile().startsWith(mailbox.dataDir())).isFalse();
    ProtocolSettings settings = ProtocolSettings.from(config);
    assertThat(settings.envelopeSize()).isEqualTo(4096 - 512);
    assertThat(settings.maxQueueMessages()).isEqualTo(64);
    assertThat(settings.envelopeCredit()).isPositive();
  }
}
