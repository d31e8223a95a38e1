package org.sealpost.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcFsTest {

  /** A stat line as Linux writes it; utime..cstime at fields 14..17, rss at field 24. */
  static String stat(
      int pid, String comm, int ppid, long ut, long st, long cut, long cst, long rss) {
    StringBuilder sb = new StringBuilder();
    sb.append(pid).append(" (").append(comm).append(") S ").append(ppid);
    // fields 5..13
    sb.append(" 1 1 0 -1 4194560 100 0 0 0");
    sb.append(' ')
        .append(ut)
        .append(' ')
        .append(st)
        .append(' ')
        .append(cut)
        .append(' ')
        .append(cst);
    // fields 18..23: priority nice threads itrealvalue starttime vsize
    sb.append(" 20 0 1 0 12345 1000000");
    sb.append(' ').append(rss);
    sb.append(" 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n");
    return sb.toString();
  }

  @Test
  void parsesStatWhoseCommandHasSpacesAndParentheses() {
    ProcFs.Stat s = ProcFs.parseStat(stat(42, "imap (u1) x", 7, 10, 20, 30, 40, 500));

    assertThat(s.ppid()).isEqualTo(7);
    assertThat(s.utime()).isEqualTo(10);
    assertThat(s.stime()).isEqualTo(20);
    assertThat(s.cutime()).isEqualTo(30);
    assertThat(s.cstime()).isEqualTo(40);
    assertThat(s.totalTicks()).isEqualTo(100);
    assertThat(s.rssPages()).isEqualTo(500);
  }

  @Test
  void rejectsTextThatIsNotAStatLine() {
    assertThatThrownBy(() -> ProcFs.parseStat("garbage"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void parsesIoAndKilobyteValues() {
    Map<String, Long> io =
        ProcFs.parseKeyValues(
            "rchar: 100\nwchar: 200\nwrite_bytes: 4096\ncancelled_write_bytes: 1024\n");
    Map<String, Long> status = ProcFs.parseKeyValues("Name:\tdovecot\nVmRSS:\t    2048 kB\n");

    assertThat(io)
        .containsEntry("write_bytes", 4096L)
        .containsEntry("cancelled_write_bytes", 1024L);
    assertThat(status).containsEntry("VmRSS", 2048L * 1024).doesNotContainKey("Name");
  }

  @Test
  void sumsSectorsOfWholeDisksOnly() {
    String diskstats =
        " 253       0 vda 100 0 800 10 50 0 4000 20 0 30 30\n"
            + " 253       1 vda1 100 0 800 10 50 0 3000 20 0 30 30\n"
            + "   7       0 loop0 1 0 8 0 0 0 0 0 0 0 0\n";

    assertThat(ProcFs.parseDiskstatsWrittenBytes(diskstats, Set.of("vda"))).isEqualTo(4000L * 512);
  }

  @Test
  void sampleSumsTheTreeOfTheRootsAndSkipsOthers(@TempDir Path proc) throws IOException {
    // 10 is the daemon's master, 11 and 12 its children, 13 a grandchild; 20 is unrelated
    write(proc, 10, stat(10, "master", 1, 1, 1, 50, 50, 100), 1000, 10);
    write(proc, 11, stat(11, "smtpd", 10, 5, 5, 0, 0, 10), 2000, 20);
    write(proc, 12, stat(12, "lmtp", 10, 5, 5, 0, 0, 10), 3000, 30);
    write(proc, 13, stat(13, "helper", 12, 2, 2, 0, 0, 10), 4000, 40);
    write(proc, 20, stat(20, "other", 1, 999, 999, 0, 0, 999), 99999, 99);
    Files.createDirectories(proc.resolve("self"));

    ProcFs fs = new ProcFs(proc, 4096);
    Set<Integer> tree = fs.tree(List.of(10));
    ProcSample s = fs.sample(tree);

    assertThat(tree).containsExactlyInAnyOrder(10, 11, 12, 13);
    assertThat(s.processes()).isEqualTo(4);
    assertThat(s.cpuTicks()).isEqualTo(102 + 10 + 10 + 4);
    assertThat(s.rssBytes()).isEqualTo(130L * 4096);
    assertThat(s.writeBytes()).isEqualTo(10_000);
    assertThat(s.cancelledWriteBytes()).isEqualTo(100);
    assertThat(s.pssBytes()).isEqualTo((1 + 2 + 3 + 4) * 1024L);
  }

  @Test
  void processThatVanishedIsSkipped(@TempDir Path proc) throws IOException {
    write(proc, 10, stat(10, "master", 1, 1, 1, 0, 0, 1), 0, 0);

    ProcSample s = new ProcFs(proc, 4096).sample(List.of(10, 11));

    assertThat(s.processes()).isEqualTo(1);
    assertThat(s.cpuTicks()).isEqualTo(2);
  }

  @Test
  void readsThisJvmFromTheRealProc() {
    ProcSample self = new ProcFs().self();

    assertThat(self.processes()).isEqualTo(1);
    assertThat(self.rssBytes()).isPositive();
  }

  private static void write(Path proc, int pid, String stat, long writeBytes, long cancelled)
      throws IOException {
    Path dir = Files.createDirectories(proc.resolve(Integer.toString(pid)));
    Files.writeString(dir.resolve("stat"), stat);
    Files.writeString(
        dir.resolve("io"),
        "rchar: 1\nwchar: 1\nwrite_bytes: " + writeBytes + "\ncancelled_write_bytes: " + cancelled);
    long pssKb = writeBytes / 1000;
    Files.writeString(dir.resolve("smaps_rollup"), "Rss: 9999 kB\nPss: " + pssKb + " kB\n");
  }
}
