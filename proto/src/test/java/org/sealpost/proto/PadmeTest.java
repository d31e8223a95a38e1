package org.sealpost.proto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PadmeTest {

  @Test
  void matchesValuesFromThePaper() {
    // Table values computed from the PURBs paper's definition.
    assertThat(Padme.paddedLength(0)).isZero();
    assertThat(Padme.paddedLength(1)).isEqualTo(1);
    assertThat(Padme.paddedLength(9)).isEqualTo(10);
    assertThat(Padme.paddedLength(100)).isEqualTo(104);
    assertThat(Padme.paddedLength(1000)).isEqualTo(1024);
    assertThat(Padme.paddedLength(16_377)).isEqualTo(16_384);
    assertThat(Padme.paddedLength(1_000_000)).isEqualTo(1_015_808);
  }

  @Test
  void neverShrinksAndOverheadStaysBelowTwelvePercent() {
    for (long l = 0; l < 200_000; l += 7) {
      long p = Padme.paddedLength(l);
      assertThat(p).isGreaterThanOrEqualTo(l);
      assertThat(p - l).isLessThanOrEqualTo(Math.max(1, (long) (l * 0.12)));
    }
  }

  @Test
  void rejectsNegativeLengths() {
    assertThatThrownBy(() -> Padme.paddedLength(-1)).isInstanceOf(IllegalArgumentException.class);
  }
}
