package org.sealpost.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.relay.backup.AdminToken;
import org.sealpost.relay.backup.Snapshots;
import org.sealpost.relay.config.RelayConfigLoader;
import org.sealpost.relay.protocol.ProtocolApplication;

/** {@code POST /backup}: only with the admin token from the data directory; staging cleaned. */
class BackupEndpointIT {
  @TempDir Path tmp;

  private static int post(int port, String token) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/backup"))
            .POST(HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HttpClient.newHttpClient()
        .send(b.build(), HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static EmbeddedRelay start(Path data) throws InterruptedException {
    Map<String, String> settings = EmbeddedRelay.loopbackSettings(data);
    settings.put("tls.enabled", "false");
    return EmbeddedRelay.start(
        RelayConfigLoader.fromSettings(settings),
        new ProtocolApplication(),
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
        Duration.ofSeconds(60));
  }

  @Test
  void onlyTheHolderOfTheAdminTokenGetsASnapshotAndALeftoverIsDeletedAtStart() throws Exception {
    Path data = tmp.resolve("data");
    Path staging = data.resolve(Snapshots.STAGING);
    try (EmbeddedRelay relay = start(data)) {
      int admin = relay.running().adminPort();
      String token = AdminToken.read(data);
      assertThat(Files.getPosixFilePermissions(data.resolve(AdminToken.FILE_NAME)))
          .hasSize(2); // rw-------

      assertThat(post(admin, null)).isEqualTo(401);
      assertThat(post(admin, token.substring(1) + "x")).isEqualTo(401);
      assertThat(staging).doesNotExist();

      assertThat(post(admin, token)).isEqualTo(200);
      assertThat(staging.resolve("store").resolve("CURRENT")).exists();
      assertThat(staging.resolve("relay-key.pem")).exists();
      assertThat(staging.resolve("store.key")).exists();
      assertThat(staging.resolve("sealpost-data.properties")).exists();
    }
    try (EmbeddedRelay again = start(data)) {
      assertThat(staging).doesNotExist();
      assertThat(again.running().ready()).isTrue();
    }
  }
}
