package org.sealpost.mailbox.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL keeps the page cache, so the crash test cannot see a missing fsync. This test runs the
 * child under {@code strace -f} and checks that a finished fsync/fdatasync of the WAL lies between
 * each operation's WAL write and its completion report; the second test shows the check catches a
 * store whose sync is off. Needs {@code strace} (installed by {@code .ci/run}).
 */
class FsyncBeforeCompletionIT {
  private static final int OPS = 25;

  @TempDir Path tmp;

  @Test
  void everyCompletionIsPrecededByASyncOfItsWalWrite() throws Exception {
    StraceSyncChecker.Result r = trace("ALWAYS");
    assertThat(r.reports()).isEqualTo(2 * OPS);
    assertThat(r.walWrites()).isGreaterThanOrEqualTo(2 * OPS);
    assertThat(r.walSyncs()).isGreaterThanOrEqualTo(2 * OPS);
    assertThat(r.noWrite()).as("operations that wrote no WAL").isEmpty();
    assertThat(r.unsynced()).as("completions before their WAL sync").isEmpty();
  }

  @Test
  void theCheckCatchesAStoreThatCompletesWithoutSync() throws Exception {
    StraceSyncChecker.Result r = trace("NEVER");
    assertThat(r.reports()).isEqualTo(2 * OPS);
    assertThat(r.walWrites()).isGreaterThanOrEqualTo(2 * OPS);
    assertThat(r.noWrite()).isEmpty();
    assertThat(r.unsynced()).as("the checker must flag unsynced completions").hasSize(2 * OPS);
  }

  private StraceSyncChecker.Result trace(String sync) throws Exception {
    Path log = tmp.resolve("strace-" + sync + ".txt");
    List<String> cmd = new ArrayList<>();
    cmd.add("strace");
    cmd.add("-f");
    cmd.add("--seccomp-bpf");
    cmd.add("-qq");
    cmd.add("-y");
    cmd.add("-tt");
    cmd.add("-s");
    cmd.add("8");
    cmd.add("-e");
    cmd.add("trace=write,pwrite64,writev,pwritev,fsync,fdatasync,sync_file_range");
    cmd.add("-o");
    cmd.add(log.toString());
    cmd.addAll(
        ChildJvm.command(
            tmp.resolve("data-" + sync), tmp.resolve("key-" + sync), "sequential", sync, 1, OPS));
    Process p =
        new ProcessBuilder(cmd)
            .redirectOutput(tmp.resolve("out-" + sync + ".txt").toFile())
            .redirectError(tmp.resolve("err-" + sync + ".txt").toFile())
            .start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(tmp.resolve("err-" + sync + ".txt"))).isZero();
    assertThat(Files.readAllLines(tmp.resolve("out-" + sync + ".txt"))).hasSize(3 * OPS + 1);
    return StraceSyncChecker.check(Files.readAllLines(log, StandardCharsets.ISO_8859_1));
  }
}
