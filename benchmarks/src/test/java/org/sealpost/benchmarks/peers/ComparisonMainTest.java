package org.sealpost.benchmarks.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ComparisonMainTest {
  private static ComparisonMain parsed(String... args) {
    ComparisonMain main = new ComparisonMain();
    new CommandLine(main).parseArgs(args);
    return main;
  }

  @Test
  void aPeerNamedTwiceRunsOnce() {
    // a repeated --peers adds to the list: this ran the JDK configuration twice and the plot
    // step then failed on the duplicate series name
    ComparisonMain main = parsed("--peers", "sealpost", "--peers", "sealpost,sealpost-jdk");
    assertThat(main.peerList()).containsExactly("sealpost", "sealpost-jdk");
  }

  @Test
  void withoutPeersEveryDefaultPeerRunsAndTheOpensslConfigurationOnlyOnRequest() {
    assertThat(parsed().peerList()).containsExactlyElementsOf(ComparisonMain.ALL_PEERS);
    assertThat(parsed("--peers", "sealpost-jdk").peerList()).containsExactly("sealpost-jdk");
  }

  @Test
  void anUnknownPeerFailsBeforeAnythingStarts() {
    ComparisonMain main = parsed("--peers", "sealpost,sealpots");
    assertThatThrownBy(main::peerList)
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("sealpots");
  }

  @Test
  void theOpenLoopHasALeadInExceptInTheSmokeRun() {
    assertThat(parsed().openLeadIn()).isEqualTo(3);
    assertThat(parsed("--quick").openLeadIn()).isZero();
    assertThat(parsed("--open-lead-in-seconds", "0").openLeadIn()).isZero();
    assertThat(parsed("--quick", "--open-lead-in-seconds", "2").openLeadIn()).isEqualTo(2);
  }

  @Test
  void theOpenLoopRunsAtHalfOfPeakUnlessARateIsGiven() {
    assertThat(parsed().openRate).isZero();
    assertThat(parsed("--open-rate", "4500").openRate).isEqualTo(4500);
  }

  @Test
  void theW2WarmUpRoundRunsOnlyOnRequest() {
    assertThat(parsed().w2Warmup).isFalse();
    assertThat(parsed("--w2-warmup").w2Warmup).isTrue();
  }
}
