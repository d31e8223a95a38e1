package org.sealpost.lab.defence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class DefencesTest {
  @Test
  void eachSpecBecomesTheRelayFlagsOfItsDefence() {
    assertThat(Defences.parse("none").relayFlags()).isEmpty();
    assertThat(Defences.parse("delay:1s").relayFlags())
        .containsExactly("--delivery-delay-mean", "1s");
    assertThat(Defences.parse("delay:500ms/5s").relayFlags())
        .containsExactly("--delivery-delay-mean", "500ms", "--delivery-delay-max", "5s");
    assertThat(Defences.parse("batch:2s/4").relayFlags())
        .containsExactly("--delivery-batch-interval", "2s", "--delivery-batch-min", "4");
    assertThat(Defences.parse("constant-rate:200ms").relayFlags())
        .containsExactly("--session-constant-rate", "200ms");
    assertThat(Defences.parseAll(List.of("none", "delay:2s")).get(1).name()).isEqualTo("delay:2s");
  }

  @Test
  void constantRateAlsoMakesTheClientsSendAtConstantRate() {
    var options =
        Defences.parse("constant-rate:200ms")
            .clientOptions(org.sealpost.client.ClientOptions.defaults().toBuilder())
            .build();
    assertThat(options.coverIntervalSetting()).contains(java.time.Duration.ofMillis(200));
  }

  @Test
  void badSpecsAreRefusedWithTheReason() {
    assertThatThrownBy(() -> Defences.parse("delay:fast")).hasMessageContaining("bad duration");
    assertThatThrownBy(() -> Defences.parse("mixnet:1s")).hasMessageContaining("unknown defence");
    assertThatThrownBy(() -> Defences.parse("none:1s")).hasMessageContaining("no parameter");
  }
}
