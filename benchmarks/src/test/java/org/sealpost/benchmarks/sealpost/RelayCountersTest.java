package org.sealpost.benchmarks.sealpost;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RelayCountersTest {
  private static String metrics(int in, int out, int pushed, int sends, int acks) {
    return "# HELP sealpost_blocks_in_total Blocks received\n"
        + "sealpost_blocks_in_total "
        + in
        + ".0\n"
        + "sealpost_blocks_out_total "
        + out
        + ".0\n"
        + "sealpost_pushes_total{kind=\"end\"} 7.0\n"
        + "sealpost_pushes_total{kind=\"message\"} "
        + pushed
        + ".0\n"
        + "sealpost_commands_total{command=\"send\",outcome=\"ok\"} "
        + sends
        + ".0\n"
        + "sealpost_commands_total{command=\"send\",outcome=\"rate\"} 3.0\n"
        + "sealpost_commands_total{command=\"ack\",outcome=\"ok\"} "
        + acks
        + ".0\n"
        + "sealpost_commands_total{command=\"subscribe\",outcome=\"ok\"} 200.0\n";
  }

  @Test
  void aPhaseIsTheDifferenceOfTwoReadingsSplitByWhatTheBlocksCarry() {
    RelayCounters before = RelayCounters.parse(metrics(100, 100, 50, 50, 50));
    // 1000 messages: 1000 push blocks + 250 blocks of Oks; 1000 Send blocks + 100 blocks of Acks
    RelayCounters after = RelayCounters.parse(metrics(1200, 1350, 1050, 1050, 1050));
    RelayCounters phase = after.since(before);
    assertEquals(new RelayCounters(1100, 1250, 1000, 1000, 1000), phase);
    assertEquals(
        "1.25 blocks out per message pushed = 1 push + 0.25 blocks without a push (250, carrying"
            + " 1,000 Oks of Sends: 4.0 per block); 1.10 blocks in per message = 1 Send + 0.10"
            + " blocks without a Send (100, carrying 1,000 Acks: 10.0 per block)",
        phase.breakdown());
  }
}
