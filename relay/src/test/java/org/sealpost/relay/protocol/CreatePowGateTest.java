package org.sealpost.relay.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.sealpost.relay.config.PowSettings;

/** Issue 12: the relay-wide switch of the CreateQueue proof of work, on an injected clock. */
class CreatePowGateTest {
  private static final long SECOND = 1_000_000_000L;
  private final AtomicLong now = new AtomicLong(1_000 * SECOND);

  @Test
  void underLoadSwitchesOnAtTheThresholdAndOffOnceTheWindowHasPassed() {
    CreatePowGate gate =
        new CreatePowGate(new PowSettings(PowSettings.Mode.UNDER_LOAD, 18, 1.0), now::get);
    for (int i = 0; i < 9; i++) {
      gate.recordCreate();
    }
    assertThat(gate.bitsForNewSession()).isZero(); // 0.9 per second
    now.addAndGet(3 * SECOND);
    gate.recordCreate();
    assertThat(gate.loadPerSecond()).isEqualTo(1.0);
    assertThat(gate.bitsForNewSession()).isEqualTo(18);
    // the first nine leave the ten-second window
    now.addAndGet(8 * SECOND);
    assertThat(gate.bitsForNewSession()).isZero();
    now.addAndGet(3 * SECOND);
    assertThat(gate.loadPerSecond()).isZero();
  }

  @Test
  void alwaysAndOffIgnoreTheLoad() {
    CreatePowGate always =
        new CreatePowGate(new PowSettings(PowSettings.Mode.ALWAYS, 12, 5), now::get);
    CreatePowGate off = new CreatePowGate(PowSettings.OFF, now::get);
    assertThat(always.bitsForNewSession()).isEqualTo(12);
    for (int i = 0; i < 1000; i++) {
      off.recordCreate();
    }
    assertThat(off.bitsForNewSession()).isZero();
  }
}
