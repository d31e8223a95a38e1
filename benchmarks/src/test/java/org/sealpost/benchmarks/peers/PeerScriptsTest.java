package org.sealpost.benchmarks.peers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The shell helpers every peer script sources ({@code benchmarks/peers/common.sh}). */
class PeerScriptsTest {
  private static final Path COMMON = Path.of("peers", "common.sh").toAbsolutePath();
  // a process started through setsid has its own group only once setsid has run in it
  private static final String WAIT_FOR_SETSID =
      " for _ in $(seq 1 200); do group_running \"$pid\" && break; sleep 0.01; done;";

  /** Runs {@code script} in bash with common.sh sourced; returns its output. */
  private static String bash(String script) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("bash", "-c", "source '" + COMMON + "'; set +e; " + script)
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
  }

  @Test
  void aRunningGroupCountsAndAnExitedOneDoesNotEvenBeforeItIsReaped() throws Exception {
    // an orphan in its own session, as spawn() starts a daemon: its start script has returned,
    // so only init reaps it; group_running must not wait for that
    String out =
        bash(
            "pid=$( (setsid sleep 0.5 </dev/null >/dev/null 2>&1 & echo $!) );"
                + WAIT_FOR_SETSID
                + " group_running \"$pid\" && echo running;"
                + " t0=$(date +%s%N);"
                + " while group_running \"$pid\"; do sleep 0.01; done;"
                + " echo \"stopped after $(( ($(date +%s%N) - t0) / 1000000 )) ms\";"
                + " group_running 999999999 || echo 'no such group'");
    assertThat(out).startsWith("running\nstopped after ").endsWith("\nno such group");
    long ms = Long.parseLong(out.replaceAll("(?s).*stopped after (\\d+) ms.*", "$1"));
    // sleep 0.5 exits after about 500 ms; a zombie waiting for a slow init would add seconds
    assertThat(ms).isBetween(300L, 1_200L);
  }

  @Test
  void stopPidsEndsTheGroupAndRemovesThePidFile() throws Exception {
    String out =
        bash(
            "f=$(mktemp); spawn \"$f\" /dev/null sleep 60;"
                + " pid=$(cat \"$f\");"
                + WAIT_FOR_SETSID
                + " group_running \"$pid\" && echo running;"
                + " stop_pids \"$f\"; group_running \"$pid\" || echo stopped;"
                + " [ -e \"$f\" ] || echo 'pid file gone'");
    assertThat(out).isEqualTo("running\nstopped\npid file gone");
  }
}
