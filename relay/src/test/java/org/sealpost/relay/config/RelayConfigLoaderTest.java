package org.sealpost.relay.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RelayConfigLoaderTest {

  @Test
  void defaultsMatchTheProtocolAndTheDesign() {
    RelayConfig c = RelayConfig.defaults();
    assertThat(c.dataDir()).isEqualTo(Path.of("./sealpost-data"));
    assertThat(c.listenPort()).isEqualTo(8443);
    assertThat(c.adminHost()).isEqualTo("127.0.0.1");
    assertThat(c.adminPort()).isEqualTo(9464);
    assertThat(c.blockSize()).isEqualTo(16359);
    assertThat(c.envelopeSize()).isEqualTo(16359 - 512);
    assertThat(c.queueQuota()).isEqualTo(128);
    assertThat(c.queueTtl()).isEqualTo(Duration.ofDays(21));
    assertThat(c.queueIdleExpiry()).isEqualTo(Duration.ofDays(90));
    assertThat(c.queueCreateBurst()).isEqualTo(16);
    assertThat(c.pendingCacheMib()).isEqualTo(32);
    assertThat(c.queueCreateRate()).isEqualTo(2.0);
    assertThat(c.handshakeDeadline()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.tlsEnabled()).isTrue();
    assertThat(c.tlsCert()).isEmpty();
    assertThat(c.createToken()).isEmpty();
    assertThat(c.eventLoops()).isEqualTo(Runtime.getRuntime().availableProcessors());
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
    "listen.port, 70000, OUT_OF_RANGE",
    "listen.port, http, NOT_A_NUMBER",
    "admin.port, -1, OUT_OF_RANGE",
    "block-size, 1000, OUT_OF_RANGE",
    "block-size, 65536, OUT_OF_RANGE",
    "queue.quota, 0, OUT_OF_RANGE",
    "queue.ttl, 21, NOT_A_DURATION",
    "queue.ttl, 3 weeks, NOT_A_DURATION",
    "connection.handshake-deadline, 1ms, OUT_OF_RANGE",
    "connection.idle-timeout, soon, NOT_A_DURATION",
    "connection.max-outbound-blocks, 1, OUT_OF_RANGE",
    "connection.max-outstanding-commands, 0, OUT_OF_RANGE",
    "delivery.window, 0, OUT_OF_RANGE",
    "queue.create-burst, 0, OUT_OF_RANGE",
    "queue.pending-cache-mib, -1, OUT_OF_RANGE",
    "queue.pending-cache-mib, 65537, OUT_OF_RANGE",
    "queue.pending-cache-mib, lots, NOT_A_NUMBER",
    "queue.create-burst, -1, OUT_OF_RANGE",
    "queue.create-burst, 1000001, OUT_OF_RANGE",
    "queue.create-burst, 1.5, NOT_A_NUMBER",
    "queue.create-burst, many, NOT_A_NUMBER",
    "queue.create-rate, 0, OUT_OF_RANGE",
    "queue.create-rate, 0.0, OUT_OF_RANGE",
    "queue.create-rate, -0.5, OUT_OF_RANGE",
    "queue.create-rate, -2, OUT_OF_RANGE",
    "queue.create-rate, 1000000.5, OUT_OF_RANGE",
    "queue.create-rate, 99999999999999999999, OUT_OF_RANGE",
    "queue.create-rate, fast, NOT_A_NUMBER",
    "queue.create-rate, NaN, NOT_A_NUMBER",
    "queue.create-rate, Infinity, NOT_A_NUMBER",
    "queue.create-rate, 1e3, NOT_A_NUMBER",
    "queue.create-rate, 2., NOT_A_NUMBER",
    "event-loops, 0, OUT_OF_RANGE",
    "tls.enabled, yes, NOT_A_BOOLEAN",
    "admin.allow-non-loopback, 1, NOT_A_BOOLEAN",
    "admin.host, 0.0.0.0, INVALID_VALUE",
    "admin.host, 192.168.1.10, INVALID_VALUE",
    "admin.host, metrics.example.org, INVALID_VALUE",
    "listen.host, 'a host', INVALID_VALUE",
    "tls.cert, /nonexistent/cert.pem, INVALID_VALUE",
    "shutdown.grace, 1h, OUT_OF_RANGE",
    "queue.idle-expiry, 1d, CONFLICT",
    "data-dir, '', INVALID_VALUE",
    "data-dir.initialise, maybe, NOT_A_BOOLEAN",
    "connection.write-stall-timeout, 0s, OUT_OF_RANGE",
    "connection.buffer-budget, 1k, OUT_OF_RANGE",
    "connection.buffer-budget, lots, NOT_A_NUMBER",
    "connection.buffer-budget, 2t, NOT_A_NUMBER",
    "tls.engine, gnutls, INVALID_VALUE",
    // issue 12: abuse control
    "queue.pow, sometimes, INVALID_VALUE",
    "queue.pow-bits, 0, OUT_OF_RANGE",
    "queue.pow-bits, 33, OUT_OF_RANGE",
    "queue.pow-load, 0, OUT_OF_RANGE",
    "queue.create-max-per-connection, -1, OUT_OF_RANGE",
    "queue.unsecured-expiry, 30m, OUT_OF_RANGE",
    "queue.unsecured-expiry, soon, NOT_A_DURATION",
  })
  void eachBadSettingIsRefusedWithAMessageNamingIt(String key, String value, ConfigError error) {
    assertThatThrownBy(() -> RelayConfigLoader.fromSettings(Map.of(key, value)))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> {
              assertThat(e.problems()).hasSize(1);
              ConfigProblem p = e.problems().get(0);
              assertThat(p.setting()).isEqualTo(key);
              assertThat(p.error()).isEqualTo(error);
              assertThat(e.getMessage()).contains(key);
            });
  }

  // issue 12
  @org.junit.jupiter.api.Test
  void abuseControlIsOffByDefaultAndParsedWhenSet() {
    RelayConfig d = RelayConfig.defaults();
    assertThat(d.pow().mode()).isEqualTo(PowSettings.Mode.OFF);
    assertThat(d.queueCreateMaxPerConnection()).isZero();
    assertThat(d.queueUnsecuredExpiry()).isZero();
    RelayConfig c =
        RelayConfigLoader.fromSettings(
            Map.of(
                "queue.pow", "under-load",
                "queue.pow-bits", "22",
                "queue.pow-load", "2.5",
                "queue.create-max-per-connection", "100",
                "queue.unsecured-expiry", "1d"));
    assertThat(c.pow()).isEqualTo(new PowSettings(PowSettings.Mode.UNDER_LOAD, 22, 2.5));
    assertThat(c.queueCreateMaxPerConnection()).isEqualTo(100);
    assertThat(c.queueUnsecuredExpiry()).isEqualTo(Duration.ofDays(1));
  }

  @org.junit.jupiter.api.Test
  void theTlsEngineIsAutoByDefaultAndJdkOrOpensslOnRequest() {
    assertThat(RelayConfig.defaults().tlsEngine()).isEqualTo(TlsEngine.AUTO);
    assertThat(RelayConfigLoader.fromSettings(Map.of("tls.engine", "OpenSSL")).tlsEngine())
        .isEqualTo(TlsEngine.OPENSSL);
    assertThat(RelayConfigLoader.fromSettings(Map.of("tls.engine", "jdk")).tlsEngine())
        .isEqualTo(TlsEngine.JDK);
  }

  @ParameterizedTest(name = "listener {0}:{1}, admin {2}:{3}")
  @CsvSource({
    "0.0.0.0, 9464, 127.0.0.1, 9464",
    "127.0.0.1, 9000, 127.0.0.1, 9000",
    "127.0.0.1, 9000, localhost, 9000",
    "::, 9000, ::1, 9000",
    "::1, 9000, 0:0:0:0:0:0:0:1, 9000",
    "relay.example.org, 9000, 127.0.0.1, 9000",
  })
  void anAdminServerOnTheListenersSocketIsRefused(
      String listenHost, String listenPort, String adminHost, String adminPort) {
    assertThatThrownBy(
            () ->
                RelayConfigLoader.load(
                    List.of(
                        "--listen-host", listenHost,
                        "--listen-port", listenPort,
                        "--admin-host", adminHost,
                        "--admin-port", adminPort),
                    Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> {
              assertThat(e.problems()).hasSize(1);
              assertThat(e.problems().get(0).setting()).isEqualTo("admin.port");
              assertThat(e.problems().get(0).error()).isEqualTo(ConfigError.CONFLICT);
              assertThat(e.getMessage())
                  .contains("admin.port (from flag --admin-port)")
                  .contains("listen.port " + listenPort)
                  .doesNotContain("CONFLICT");
            });
  }

  @ParameterizedTest(name = "listener {0}:{1}, admin {2}:{3}")
  @CsvSource({
    "0.0.0.0, 8443, 127.0.0.1, 9464",
    "0.0.0.0, 0, 127.0.0.1, 0",
    "127.0.0.2, 9000, 127.0.0.1, 9000",
    "192.0.2.1, 9000, 127.0.0.1, 9000",
  })
  void anAdminServerApartFromTheListenerIsAccepted(
      String listenHost, String listenPort, String adminHost, String adminPort) {
    RelayConfig c =
        RelayConfigLoader.fromSettings(
            Map.of(
                "listen.host", listenHost,
                "listen.port", listenPort,
                "admin.host", adminHost,
                "admin.port", adminPort));
    assertThat(c.adminPort()).isEqualTo(Integer.parseInt(adminPort));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"65536, 65536", "640k, 655360", "256m, 268435456", "2G, 2147483648"})
  void theBufferBudgetTakesASize(String value, long bytes) {
    assertThat(RelayConfigLoader.fromSettings(Map.of("connection.buffer-budget", value)))
        .extracting(RelayConfig::bufferBudgetBytes)
        .isEqualTo(bytes);
  }

  @Test
  void theBufferBudgetDefaultsToAQuarterOfTheHeap() {
    assertThat(RelayConfig.defaults().bufferBudgetBytes())
        .isEqualTo(Math.max(64 * 1024, Runtime.getRuntime().maxMemory() / 4));
    assertThat(RelayConfig.defaults().writeStallTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(RelayConfig.defaults().initialiseDataDir()).isFalse();
  }

  // issue 13: admission of TLS handshakes
  @Test
  void theHandshakeBoundScalesWithTheEventLoopsUnlessSet() {
    assertThat(RelayConfigLoader.fromSettings(Map.of("event-loops", "3")).maxHandshakes())
        .isEqualTo(768);
    assertThat(
            RelayConfigLoader.load(
                    List.of("--connection-max-handshakes", "0"),
                    Map.of("SEALPOST_EVENT_LOOPS", "3"))
                .maxHandshakes())
        .isZero();
    assertThat(
            RelayConfigLoader.fromSettings(Map.of("connection.max-handshakes", "64"))
                .maxHandshakes())
        .isEqualTo(64);
    assertThatThrownBy(
            () -> RelayConfigLoader.fromSettings(Map.of("connection.max-handshakes", "-1")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("connection.max-handshakes");
  }

  @ParameterizedTest(name = "{0} -> {1}/s")
  @CsvSource({"1, 1", "17, 0.5", "17, .5", "1000000, 1000000", "64, 2.25"})
  void theCreateQueueRateLimitCanBeRaisedOrLowered(String burst, String rate) {
    RelayConfig c =
        RelayConfigLoader.fromSettings(
            Map.of("queue.create-burst", burst, "queue.create-rate", rate));
    assertThat(c.queueCreateBurst()).isEqualTo(Integer.parseInt(burst));
    assertThat(c.queueCreateRate()).isEqualTo(Double.parseDouble(rate));
  }

  @Test
  void theCreateQueueRateLimitIsReadFromFlagsAndEnvironment() {
    RelayConfig c =
        RelayConfigLoader.load(
            List.of("--queue-create-burst", "1000"), Map.of("SEALPOST_QUEUE_CREATE_RATE", "0.25"));
    assertThat(c.queueCreateBurst()).isEqualTo(1000);
    assertThat(c.queueCreateRate()).isEqualTo(0.25);
  }

  @Test
  void aBadCreateRateNamesTheSettingItsSourceAndTheAllowedRange() {
    assertThatThrownBy(() -> RelayConfigLoader.load(List.of("--queue-create-rate=0"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "queue.create-rate (from flag --queue-create-rate) must be greater than 0 and at most"
                + " 1000000 (got '0')");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    assertThatThrownBy(
            () ->
                RelayConfigLoader.fromSettings(
                    Map.of("listen.port", "x", "block-size", "5", "no.such", "1")))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .extracting(ConfigProblem::setting)
                    .containsExactlyInAnyOrder("listen.port", "block-size", "no.such"));
  }

  @Test
  void aShortCreationTokenIsRefusedWithoutRepeatingIt() {
    String token = "tooShortSecret";
    assertThatThrownBy(() -> RelayConfigLoader.fromSettings(Map.of("create-token", token)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("create-token")
        .message()
        .doesNotContain(token);
  }

  @Test
  void theCreationTokenIsKeptButNeverPrinted() {
    String token = "a-long-operator-token-0123456789";
    RelayConfig c = RelayConfigLoader.fromSettings(Map.of("create-token", token));
    assertThat(c.createToken()).isPresent();
    assertThat(
            c.createToken().get().matches(token.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .isTrue();
    assertThat(c.toString()).doesNotContain(token);
  }

  @Test
  void nonLoopbackAdminNeedsTheExplicitSwitch() {
    RelayConfig c =
        RelayConfigLoader.fromSettings(
            Map.of("admin.host", "0.0.0.0", "admin.allow-non-loopback", "true"));
    assertThat(c.adminHost()).isEqualTo("0.0.0.0");
    assertThat(RelayConfigLoader.fromSettings(Map.of("admin.host", "::1")).adminHost())
        .isEqualTo("::1");
    assertThat(RelayConfigLoader.fromSettings(Map.of("admin.host", "localhost")).adminHost())
        .isEqualTo("localhost");
  }

  @Test
  void tlsCertificateNeedsItsKey(@TempDir Path dir) throws IOException {
    Path cert = Files.writeString(dir.resolve("c.pem"), "x");
    assertThatThrownBy(() -> RelayConfigLoader.fromSettings(Map.of("tls.cert", cert.toString())))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> {
              assertThat(e.problems().get(0).setting()).isEqualTo("tls.key");
              assertThat(e.problems().get(0).error()).isEqualTo(ConfigError.CONFLICT);
            });
  }

  @Test
  void flagsOverrideEnvironmentWhichOverridesTheFile(@TempDir Path dir) throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("relay.properties"),
            "listen.port = 1111\nadmin.port = 2222\nqueue.quota = 5\n");
    RelayConfig c =
        RelayConfigLoader.load(
            List.of("--config", file.toString(), "--listen-port", "3333", "--tls-enabled=false"),
            Map.of("SEALPOST_LISTEN_PORT", "4444", "SEALPOST_ADMIN_PORT", "5555"));
    assertThat(c.listenPort()).isEqualTo(3333);
    assertThat(c.adminPort()).isEqualTo(5555);
    assertThat(c.queueQuota()).isEqualTo(5);
    assertThat(c.tlsEnabled()).isFalse();
  }

  @Test
  void theConfigFileCanBeNamedByTheEnvironment(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("relay.properties"), "block-size=4096\n");
    RelayConfig c = RelayConfigLoader.load(List.of(), Map.of("SEALPOST_CONFIG", file.toString()));
    assertThat(c.blockSize()).isEqualTo(4096);
    assertThat(c.envelopeSize()).isEqualTo(4096 - 512);
  }

  @Test
  void aBadEnvironmentValueNamesTheVariable() {
    assertThatThrownBy(
            () -> RelayConfigLoader.load(List.of(), Map.of("SEALPOST_QUEUE_QUOTA", "many")))
        .hasMessageContaining("queue.quota")
        .hasMessageContaining("SEALPOST_QUEUE_QUOTA");
  }

  @Test
  void unknownKeysFlagsAndArgumentsAreRefused(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("relay.properties"), "listen.prot=1\n");
    assertThatThrownBy(
            () ->
                RelayConfigLoader.load(
                    List.of("--config", file.toString(), "--lisen-port", "1", "stray"), Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .extracting(ConfigProblem::error)
                    .containsExactlyInAnyOrder(
                        ConfigError.UNKNOWN_SETTING,
                        ConfigError.UNKNOWN_SETTING,
                        ConfigError.BAD_ARGUMENT));
  }

  @Test
  void aMissingConfigFileIsReported(@TempDir Path dir) {
    assertThatThrownBy(
            () ->
                RelayConfigLoader.load(
                    List.of("--config", dir.resolve("missing.properties").toString()), Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> assertThat(e.problems().get(0).error()).isEqualTo(ConfigError.FILE_UNREADABLE));
  }

  @Test
  void aBareBooleanFlagSwitchesTheSettingOn() {
    RelayConfig c =
        RelayConfigLoader.load(
            List.of("--admin-allow-non-loopback", "--admin-host", "0.0.0.0"), Map.of());
    assertThat(c.adminAllowNonLoopback()).isTrue();
  }

  @Test
  void namesAreDerivedFromTheKey() {
    assertThat(Setting.LISTEN_PORT.envVar()).isEqualTo("SEALPOST_LISTEN_PORT");
    assertThat(Setting.LISTEN_PORT.flag()).isEqualTo("--listen-port");
    assertThat(Setting.ADMIN_ALLOW_NON_LOOPBACK.envVar())
        .isEqualTo("SEALPOST_ADMIN_ALLOW_NON_LOOPBACK");
    assertThat(Setting.DATA_DIR.envVar()).isEqualTo("SEALPOST_DATA_DIR");
    assertThat(Setting.QUEUE_CREATE_BURST.envVar()).isEqualTo("SEALPOST_QUEUE_CREATE_BURST");
    assertThat(Setting.QUEUE_CREATE_BURST.flag()).isEqualTo("--queue-create-burst");
    assertThat(Setting.QUEUE_CREATE_RATE.envVar()).isEqualTo("SEALPOST_QUEUE_CREATE_RATE");
    assertThat(Setting.QUEUE_CREATE_RATE.flag()).isEqualTo("--queue-create-rate");
  }
}
