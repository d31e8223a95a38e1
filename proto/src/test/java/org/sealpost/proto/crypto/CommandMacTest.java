package org.sealpost.proto.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CommandMacTest {
  private final byte[] key = TestVectors.seed("mac test key", 32);
  private final byte[] h = TestVectors.seed("mac test h", 32);
  private final byte[] rid = TestVectors.seed("mac test rid", 32);
  private final byte[] command = TestVectors.seed("mac test command", 10);

  @Test
  void verifyAcceptsTheComputedMac() {
    byte[] mac = CommandMac.compute(key, h, rid, command);
    assertThat(mac).hasSize(32);
    assertThat(CommandMac.verify(key, h, rid, command, mac)).isTrue();
  }

  @Test
  void macBindsTheSessionTheQueueAndTheCommandBytes() {
    byte[] mac = CommandMac.compute(key, h, rid, command);
    assertThat(CommandMac.verify(key, TestVectors.seed("other h", 32), rid, command, mac))
        .isFalse();
    assertThat(CommandMac.verify(key, h, TestVectors.seed("other rid", 32), command, mac))
        .isFalse();
    byte[] otherCommand = command.clone();
    otherCommand[9] ^= 1;
    assertThat(CommandMac.verify(key, h, rid, otherCommand, mac)).isFalse();
    byte[] flipped = mac.clone();
    flipped[31] ^= 1;
    assertThat(CommandMac.verify(key, h, rid, command, flipped)).isFalse();
  }

  @Test
  void unknownQueueNeverVerifiesEvenAgainstAMacUnderTheDummyKey() {
    // The dummy key is all zeros: a MAC made with it must still be refused for a missing queue.
    byte[] underDummy = CommandMac.compute(new byte[32], h, rid, command);
    assertThat(CommandMac.verify(null, h, rid, command, underDummy)).isFalse();
    assertThat(CommandMac.verify(null, h, rid, command, CommandMac.compute(key, h, rid, command)))
        .isFalse();
  }

  @Test
  void malformedWireInputIsRejectedWithoutAnException() {
    byte[] mac = CommandMac.compute(key, h, rid, command);
    assertThat(CommandMac.verify(key, h, rid, command, null)).isFalse();
    assertThat(CommandMac.verify(key, h, rid, command, new byte[31])).isFalse();
    assertThat(CommandMac.verify(key, h, new byte[5], command, mac)).isFalse();
    assertThat(CommandMac.verify(key, h, rid, null, mac)).isFalse();
    byte[] longer = new byte[33];
    System.arraycopy(mac, 0, longer, 0, 32);
    assertThat(CommandMac.verify(key, h, rid, command, longer)).isFalse();
  }
}
