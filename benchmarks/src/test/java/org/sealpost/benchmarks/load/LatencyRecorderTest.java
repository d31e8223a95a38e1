package org.sealpost.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LatencyRecorderTest {
  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

  @Test
  void stalledSendIsChargedToCorrectedLatencyOnly() {
    LatencyRecorder r = new LatencyRecorder();
    // scheduled at 0, the sender could only send at 100 ms, delivered 1 ms later
    r.record(0, 100 * MS, 101 * MS);

    assertThat(r.corrected().p50()).isCloseTo(101_000L, within(101L));
    assertThat(r.uncorrected().p50()).isCloseTo(1_000L, within(2L));
  }

  @Test
  void onScheduleSendsGiveEqualHistograms() {
    LatencyRecorder r = new LatencyRecorder();
    for (int i = 1; i <= 1000; i++) {
      long t = i * MS;
      r.record(t, t, t + i * 10_000L); // i × 10 µs
    }

    LatencyRecorder.Summary c = r.corrected();
    LatencyRecorder.Summary u = r.uncorrected();
    assertThat(c.count()).isEqualTo(1000);
    assertThat(c.p50()).isEqualTo(u.p50());
    assertThat(c.p99()).isEqualTo(u.p99());
    assertThat(c.p50()).isCloseTo(5_000L, within(10L));
    assertThat(c.p99()).isCloseTo(9_900L, within(10L));
    assertThat(c.max()).isCloseTo(10_000L, within(10L));
  }

  @Test
  void backlogBehindAStallShowsInTheCorrectedTail() {
    // open loop at 1 message/ms; the peer stalls for 200 ms at message 100, the sender blocks,
    // then sends the backlog at once: each real send→deliver stays 1 ms
    LatencyRecorder r = new LatencyRecorder();
    for (int i = 0; i < 1000; i++) {
      long intended = i * MS;
      long sent = (i >= 100 && i < 300) ? 300 * MS : intended;
      r.record(intended, sent, sent + MS);
    }

    assertThat(r.uncorrected().p99()).isCloseTo(1_000L, within(2L));
    assertThat(r.corrected().p99()).isGreaterThan(150_000L);
    assertThat(r.corrected().max()).isCloseTo(201_000L, within(201L));
  }

  @Test
  void cdfEndsAtOneAndRises() {
    LatencyRecorder r = new LatencyRecorder();
    for (int i = 1; i <= 100; i++) {
      r.record(0, 0, i * MS);
    }

    var cdf = r.corrected().cdf();
    assertThat(cdf).isNotEmpty();
    assertThat(cdf.get(cdf.size() - 1)[1]).isEqualTo(1.0);
    for (int i = 1; i < cdf.size(); i++) {
      assertThat(cdf.get(i)[0]).isGreaterThanOrEqualTo(cdf.get(i - 1)[0]);
      assertThat(cdf.get(i)[1]).isGreaterThanOrEqualTo(cdf.get(i - 1)[1]);
    }
  }

  @Test
  void payloadCarriesTimesAndIndex() {
    byte[] c = Payload.create(1024, 11, 22, 33);
    Payload.stampSent(c, 44);

    assertThat(c).hasSize(1024);
    assertThat(Payload.intendedNanos(c)).isEqualTo(11);
    assertThat(Payload.sentNanos(c)).isEqualTo(44);
    assertThat(Payload.index(c)).isEqualTo(33);
  }
}
