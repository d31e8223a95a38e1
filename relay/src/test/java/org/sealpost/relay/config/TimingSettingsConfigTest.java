package org.sealpost.relay.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The timing-defence settings of issue 10: off by default, parsed from flags, validated. */
class TimingSettingsConfigTest {
  private static RelayConfig load(String... flags) {
    return RelayConfigLoader.load(List.of(flags), Map.of());
  }

  private static ConfigProblem onlyProblem(String... flags) {
    ConfigException[] thrown = new ConfigException[1];
    assertThatThrownBy(() -> load(flags))
        .isInstanceOfSatisfying(ConfigException.class, e -> thrown[0] = e);
    assertThat(thrown[0].problems()).hasSize(1);
    return thrown[0].problems().get(0);
  }

  @Test
  void everyDefenceIsOffByDefault() {
    assertThat(RelayConfig.defaults().timing()).isEqualTo(TimingSettings.OFF);
    assertThat(TimingSettings.OFF.delays()).isFalse();
    assertThat(TimingSettings.OFF.batches()).isFalse();
  }

  @Test
  void flagsSetEachDefence() {
    TimingSettings t =
        load(
                "--delivery-delay-mean", "1s",
                "--delivery-delay-max", "10s",
                "--delivery-batch-interval", "2s",
                "--delivery-batch-min", "5",
                "--session-constant-rate", "200ms")
            .timing();
    assertThat(t)
        .isEqualTo(
            new TimingSettings(
                Duration.ofSeconds(1),
                Optional.of(Duration.ofSeconds(10)),
                Duration.ofSeconds(2),
                5,
                Duration.ofMillis(200)));
    assertThat(load("--delivery-delay-mean", "0s").timing().delays()).isFalse();
  }

  @Test
  void capsAndMinimaWithoutTheirDefenceAreConflicts() {
    assertThat(onlyProblem("--delivery-delay-max", "5s").error()).isEqualTo(ConfigError.CONFLICT);
    assertThat(onlyProblem("--delivery-batch-min", "3").error()).isEqualTo(ConfigError.CONFLICT);
  }

  @Test
  void badValuesAreRefusedNamingTheSetting() {
    assertThat(onlyProblem("--delivery-delay-mean", "fast").setting())
        .isEqualTo("delivery.delay-mean");
    assertThat(onlyProblem("--delivery-delay-mean", "2d").error())
        .isEqualTo(ConfigError.OUT_OF_RANGE);
    assertThat(onlyProblem("--delivery-batch-min", "0").error())
        .isEqualTo(ConfigError.OUT_OF_RANGE);
    assertThat(onlyProblem("--session-constant-rate", "5ms").setting())
        .isEqualTo("session.constant-rate");
  }
}
