package org.sealpost.relay.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ListenerTlsTest {
  private static final int CAP = ListenerTls.JDK_TLS13_MAX_RECORD_DATA;

  @Test
  void aFrameThatFitsOneRecordIsOneChunk() {
    assertThat(ListenerTls.chunkSize(16363, CAP)).isEqualTo(16363);
    assertThat(ListenerTls.chunkSize(CAP, CAP)).isEqualTo(CAP);
  }

  @Test
  void aLargerFrameIsCutIntoEqualPartsThatFit() {
    assertThat(ListenerTls.chunkSize(16380, CAP)).isEqualTo(8190);
    assertThat(ListenerTls.chunkSize(16384, CAP)).isEqualTo(8192);
    assertThat(ListenerTls.chunkSize(32760, CAP)).isEqualTo(32760 / 3);
  }

  @Test
  void aFrameWithoutSmallDivisorsKeepsItsSize() {
    int prime = 16381;
    assertThat(ListenerTls.chunkSize(prime, CAP)).isEqualTo(prime);
  }
}
