package org.sealpost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.client.ClientOptions;
import org.sealpost.client.RelayConnection;
import org.sealpost.client.SealpostClient;
import org.sealpost.relay.EmbeddedRelay;

/** Timing behaviour seen on the wire: constant-rate cover blocks and the Ping keepalive. */
class CoverAndKeepaliveIT {
  @TempDir Path dataDir;

  @Test
  void constantRateModeSendsFixedSizeBlocksWhileIdleAndTheRelayDropsThem() throws Exception {
    try (EmbeddedRelay relay = EmbeddedRelay.start(dataDir, false, Map.of());
        WireTap tap = new WireTap("127.0.0.1", relay.port(), true);
        SealpostClient client =
            SealpostClient.create(
                ClientOptions.defaults().toBuilder()
                    .coverInterval(Duration.ofMillis(20))
                    .build())) {
      RelayConnection c = Await.get(client.connect(relay.addressVia(tap.port())));

      // nothing was asked of the connection, yet blocks keep flowing upstream
      assertThat(
              tap.awaitObservations(
                  o -> o.direction() == WireTap.Direction.TO_RELAY, 30, 30, TimeUnit.SECONDS))
          .isTrue();
      Await.get(c.ping());
      Await.get(c.createMailbox());

      assertThat(tap.observations()).allMatch(o -> o.length() == 16_359);
      assertThat(tap.connections()).isEqualTo(1);
      c.close();
    }
  }

  @Test
  void pingsKeepASessionAlivePastTheRelaysIdleTimeout() throws Exception {
    try (EmbeddedRelay relay =
            EmbeddedRelay.start(dataDir, false, Map.of("connection.idle-timeout", "2s"));
        WireTap tap = new WireTap("127.0.0.1", relay.port(), true);
        SealpostClient client =
            SealpostClient.create(
                ClientOptions.defaults().toBuilder()
                    .pingInterval(Duration.ofMillis(300))
                    .reconnect(false)
                    .build())) {
      RelayConnection c = Await.get(client.connect(relay.addressVia(tap.port())));

      // 15 pings at 300 ms: more than twice the relay's idle timeout has passed
      assertThat(
              tap.awaitObservations(
                  o -> o.direction() == WireTap.Direction.TO_RELAY, 16, 30, TimeUnit.SECONDS))
          .isTrue();

      Await.get(c.ping());
      assertThat(tap.connections()).isEqualTo(1);
      c.close();
    }
  }
}
