package org.sealpost.proto.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SendTokenTest {

  @Test
  void matchesOnlyTheSameSixteenBytes() {
    byte[] token = SendToken.random(RandomSource.secure());
    assertThat(token).hasSize(16);
    assertThat(SendToken.matches(token, token.clone())).isTrue();
    byte[] other = token.clone();
    other[15] ^= 1;
    assertThat(SendToken.matches(token, other)).isFalse();
  }

  @Test
  void noStoredTokenNeverMatchesNotEvenTheDummyBytes() {
    assertThat(SendToken.matches(null, new byte[16])).isFalse();
    assertThat(SendToken.matches(null, SendToken.random(RandomSource.secure()))).isFalse();
  }

  @Test
  void wrongLengthOrMissingGivenTokenIsRefused() {
    byte[] zeros = new byte[16];
    assertThat(SendToken.matches(zeros, null)).isFalse();
    assertThat(SendToken.matches(zeros, new byte[15])).isFalse();
    assertThat(SendToken.matches(zeros, new byte[17])).isFalse();
  }

  @Test
  void randomTokensAreDrawnFromTheSource() {
    byte[] seed = TestVectors.seed("send token", 16);
    assertThat(SendToken.random(new FixedRandom(seed))).isEqualTo(seed);
  }
}
