package org.sealpost.proto.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sealpost.proto.crypto.CryptoAssertions.assertFails;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.sealpost.proto.crypto.CryptoException.Reason;

class ReplayGuardTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
  private final RandomSource random = RandomSource.secure();
  private final ReplayGuard guard = new ReplayGuard(clock, random);

  private long nowMinute() {
    return ForwardSeal.minutes(clock);
  }

  @Test
  void acceptsARequestOnceAndRejectsItsReplay() throws CryptoException {
    byte[] e = random.bytes(32);
    guard.check(e, nowMinute());
    assertFails(Reason.REPLAYED_REQUEST, () -> guard.check(e, nowMinute()));
    assertThatCode(() -> guard.check(random.bytes(32), nowMinute())).doesNotThrowAnyException();
  }

  @Test
  void rejectsTimesMoreThanHalfTheWindowAway() {
    assertThatCode(() -> guard.check(random.bytes(32), nowMinute() - 5)).doesNotThrowAnyException();
    assertThatCode(() -> guard.check(random.bytes(32), nowMinute() + 5)).doesNotThrowAnyException();
    assertFails(Reason.STALE_REQUEST, () -> guard.check(random.bytes(32), nowMinute() - 6));
    assertFails(Reason.STALE_REQUEST, () -> guard.check(random.bytes(32), nowMinute() + 6));
    assertFails(Reason.STALE_REQUEST, () -> guard.check(random.bytes(32), 0));
  }

  @Test
  void aReplayStaysRejectedForAsLongAsItsTimeIsAcceptable() throws CryptoException {
    byte[] e = random.bytes(32);
    long t = nowMinute() + 5; // a client clock 5 minutes ahead: the latest acceptable stamp
    guard.check(e, t);
    // Until the stamp goes stale (more than 5 minutes behind now), the replay must be caught.
    for (int i = 0; i < 10; i++) {
      clock.advance(Duration.ofMinutes(1));
      assertFails(Reason.REPLAYED_REQUEST, () -> guard.check(e, t));
    }
    clock.advance(Duration.ofSeconds(59));
    assertFails(Reason.REPLAYED_REQUEST, () -> guard.check(e, t));
    clock.advance(Duration.ofSeconds(1));
    assertFails(Reason.STALE_REQUEST, () -> guard.check(e, t));
  }

  @Test
  void forgetsEntriesAfterTheWindowSoMemoryStaysBounded() throws CryptoException {
    for (int i = 0; i < 100; i++) {
      guard.check(random.bytes(32), nowMinute());
    }
    assertThat(guard.size()).isEqualTo(100);
    clock.advance(Duration.ofMinutes(11));
    assertThat(guard.size()).isZero();
  }

  @Test
  void refusesNewRequestsWhenFullInsteadOfForgettingLiveOnes() throws CryptoException {
    ReplayGuard small = new ReplayGuard(clock, random, Duration.ofMinutes(10), 2);
    byte[] first = random.bytes(32);
    small.check(first, nowMinute());
    small.check(random.bytes(32), nowMinute());
    assertFails(Reason.REPLAY_GUARD_FULL, () -> small.check(random.bytes(32), nowMinute()));
    assertFails(Reason.REPLAYED_REQUEST, () -> small.check(first, nowMinute()));
    clock.advance(Duration.ofMinutes(11));
    assertThatCode(() -> small.check(random.bytes(32), nowMinute())).doesNotThrowAnyException();
  }

  @Test
  void windowMustBeWholeMinutes() {
    assertThatThrownBy(() -> new ReplayGuard(clock, random, Duration.ofSeconds(90), 10))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ReplayGuard(clock, random, Duration.ofMinutes(1), 10))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
