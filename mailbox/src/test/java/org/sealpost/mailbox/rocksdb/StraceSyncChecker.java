package org.sealpost.mailbox.rocksdb;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an {@code strace -f -y} log of a sequential {@link CrashChild} and checks that before each
 * completion report (a write of {@code "A ..."} or {@code "K ..."} to stdout) every WAL write so
 * far has been covered by a finished fsync/fdatasync of a WAL file, and that the operation wrote
 * the WAL at all.
 */
final class StraceSyncChecker {
  private static final Pattern LINE = Pattern.compile("^(\\d+)\\s+\\S+\\s+(.*)$");
  private static final Pattern CALL = Pattern.compile("^(\\w+)\\((.*)$");
  private static final Pattern RESUMED = Pattern.compile("^<\\.\\.\\. (\\w+) resumed>.*$");
  private static final Pattern FD = Pattern.compile("^\\d+<([^>]*)>");
  private static final Set<String> WRITES =
      Set.of("write", "pwrite64", "writev", "pwritev", "pwritev2");
  private static final Set<String> SYNCS = Set.of("fsync", "fdatasync");

  /** Outcome: counts and the reports that broke the rule. */
  record Result(
      int reports, int walWrites, int walSyncs, List<String> unsynced, List<String> noWrite) {}

  private StraceSyncChecker() {}

  static Result check(List<String> trace) {
    long writeSeq = 0;
    long syncedUpTo = 0;
    long writeSeqAtLastReport = 0;
    int reports = 0;
    int syncs = 0;
    Map<String, Long> syncStart = new HashMap<>();
    Map<String, String> pendingName = new HashMap<>();
    List<String> unsynced = new ArrayList<>();
    List<String> noWrite = new ArrayList<>();
    for (String raw : trace) {
      Matcher m = LINE.matcher(raw);
      if (!m.matches()) {
        continue;
      }
      String pid = m.group(1);
      String rest = m.group(2);
      Matcher resumed = RESUMED.matcher(rest);
      if (resumed.matches()) {
        String name = resumed.group(1);
        if (SYNCS.contains(name) && syncStart.containsKey(pid)) {
          syncedUpTo = Math.max(syncedUpTo, syncStart.remove(pid));
          syncs++;
        }
        pendingName.remove(pid);
        continue;
      }
      Matcher call = CALL.matcher(rest);
      if (!call.matches()) {
        continue;
      }
      String name = call.group(1);
      String args = call.group(2);
      boolean unfinished = rest.endsWith("<unfinished ...>");
      Matcher fd = FD.matcher(args);
      String path = fd.find() ? fd.group(1) : "";
      boolean wal = path.endsWith(".log");
      if (WRITES.contains(name) && wal) {
        writeSeq++;
      } else if (SYNCS.contains(name) && wal) {
        if (unfinished) {
          syncStart.put(pid, writeSeq);
          pendingName.put(pid, name);
        } else if (rest.matches(".*\\)\\s+=\\s+0$")) {
          syncedUpTo = Math.max(syncedUpTo, writeSeq);
          syncs++;
        }
      } else if (name.equals("write") && args.startsWith("1<") && isReport(args)) {
        reports++;
        if (writeSeq > syncedUpTo) {
          unsynced.add(raw);
        }
        if (writeSeq == writeSeqAtLastReport) {
          noWrite.add(raw);
        }
        writeSeqAtLastReport = writeSeq;
      }
    }
    return new Result(reports, (int) writeSeq, syncs, unsynced, noWrite);
  }

  private static boolean isReport(String args) {
    int q = args.indexOf('"');
    return q >= 0
        && args.length() > q + 2
        && (args.charAt(q + 1) == 'A' || args.charAt(q + 1) == 'K')
        && args.charAt(q + 2) == ' ';
  }
}
