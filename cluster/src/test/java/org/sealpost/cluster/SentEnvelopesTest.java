package org.sealpost.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Issue 14 (session 11): the envelopes a node sent wait for their events, within bounds. */
class SentEnvelopesTest {
  @Test
  void anEnvelopeIsClaimedOnceByItsTicket() {
    SentEnvelopes sent = new SentEnvelopes();
    byte[] envelope = {1, 2, 3};
    long ticket = sent.keep(envelope);
    assertThat(ticket).isNotZero();
    assertThat(sent.bytes()).isEqualTo(3);
    assertThat(sent.claim(ticket)).isSameAs(envelope);
    assertThat(sent.claim(ticket)).isNull(); // once
    assertThat(sent.counts()).containsExactly(1L, 1L);
    assertThat(sent.size()).isZero();
    assertThat(sent.bytes()).isZero();
  }

  @Test
  void aRefusedSendIsDroppedAndTicketsAreNeverReused() {
    SentEnvelopes sent = new SentEnvelopes();
    long first = sent.keep(new byte[4]);
    sent.drop(first);
    long second = sent.keep(new byte[4]);
    assertThat(second).isNotEqualTo(first);
    assertThat(sent.claim(first)).isNull();
    assertThat(sent.size()).isEqualTo(1);
    sent.clear();
    assertThat(sent.size()).isZero();
    assertThat(sent.bytes()).isZero();
    assertThat(sent.claim(second)).isNull();
  }

  @Test
  void theOldestGoFirstWhenTheBytesOrTheEntriesRunOut() {
    SentEnvelopes sent = new SentEnvelopes(100);
    long a = sent.keep(new byte[40]);
    long b = sent.keep(new byte[40]);
    long c = sent.keep(new byte[40]); // 120 > 100: a goes
    assertThat(sent.claim(a)).isNull();
    assertThat(sent.bytes()).isEqualTo(80);
    assertThat(sent.claim(b)).hasSize(40);
    assertThat(sent.claim(c)).hasSize(40);

    SentEnvelopes many = new SentEnvelopes();
    long oldest = many.keep(new byte[1]);
    for (int i = 0; i < SentEnvelopes.MAX_ENTRIES; i++) {
      many.keep(new byte[1]);
    }
    assertThat(many.size()).isEqualTo(SentEnvelopes.MAX_ENTRIES);
    assertThat(many.claim(oldest)).isNull();
  }
}
