package org.sealpost.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.sealpost.client.ClientOptions;
import picocli.CommandLine;
import picocli.CommandLine.TypeConversionException;

/** The client timing-defence options of {@code send} and {@code receive} (issue 10). */
class TimingOptionsTest {
  @Test
  void optionsReachTheClientAndAreOffUnlessGiven() {
    TimingOptions none = new TimingOptions();
    new CommandLine(none).parseArgs();
    ClientOptions off = none.applyTo(ClientOptions.defaults().toBuilder()).build();
    assertThat(off.coverIntervalSetting()).isEmpty();
    assertThat(off.sendJitterSetting()).isEmpty();
    assertThat(off.loopCoverSetting()).isEmpty();

    TimingOptions all = new TimingOptions();
    new CommandLine(all)
        .parseArgs("--cover-interval", "200ms", "--send-jitter", "2s", "--loop-cover", "1m");
    ClientOptions on = all.applyTo(ClientOptions.defaults().toBuilder()).build();
    assertThat(on.coverIntervalSetting()).contains(Duration.ofMillis(200));
    assertThat(on.sendJitterSetting()).contains(Duration.ofSeconds(2));
    assertThat(on.loopCoverSetting()).contains(Duration.ofMinutes(1));
  }

  @Test
  void aDurationNeedsAPositiveNumberAndAUnit() {
    TimingOptions.DurationConverter c = new TimingOptions.DurationConverter();
    for (String bad : new String[] {"200", "0ms", "-1s", "2h", "fast"}) {
      assertThatThrownBy(() -> c.convert(bad)).isInstanceOf(TypeConversionException.class);
    }
  }
}
