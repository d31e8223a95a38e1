package org.sealpost.proto.codec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TlsRecordAlignmentTest {
  private static final int CAP = TlsRecordAlignment.JDK_TLS13_MAX_RECORD_DATA;

  @Test
  void aFrameThatFitsOneRecordIsOneChunk() {
    assertThat(TlsRecordAlignment.chunkSize(16363, CAP)).isEqualTo(16363);
    assertThat(TlsRecordAlignment.chunkSize(CAP, CAP)).isEqualTo(CAP);
  }

  @Test
  void aLargerFrameIsCutIntoEqualPartsThatFit() {
    assertThat(TlsRecordAlignment.chunkSize(16380, CAP)).isEqualTo(8190);
    assertThat(TlsRecordAlignment.chunkSize(16384, CAP)).isEqualTo(8192);
    assertThat(TlsRecordAlignment.chunkSize(32760, CAP)).isEqualTo(32760 / 3);
  }

  @Test
  void theDefaultBlockFitsOneRecordFromEitherSide() {
    int b = BlockCodec.DEFAULT_BLOCK_SIZE;
    assertThat(TlsRecordAlignment.chunkSize(b + TlsRecordAlignment.CLIENT_FRAME_HEADER))
        .isEqualTo(b + TlsRecordAlignment.CLIENT_FRAME_HEADER)
        .isEqualTo(CAP);
    assertThat(TlsRecordAlignment.chunkSize(b + TlsRecordAlignment.SERVER_FRAME_HEADER))
        .isEqualTo(b + TlsRecordAlignment.SERVER_FRAME_HEADER);
  }

  @Test
  void aFrameWithoutSmallDivisorsKeepsItsSize() {
    int prime = 16381;
    assertThat(TlsRecordAlignment.chunkSize(prime, CAP)).isEqualTo(prime);
  }
}
