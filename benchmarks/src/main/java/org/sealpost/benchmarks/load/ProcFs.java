package org.sealpost.benchmarks.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads CPU time, memory and disk writes of process trees from {@code /proc}.
 *
 * <p>Counters of a process that exited and was reaped are folded by Linux into its parent's {@code
 * cutime}/{@code cstime} and {@code /proc/<pid>/io}, so summing {@code utime + stime + cutime +
 * cstime} and {@code write_bytes} over the live tree of a daemon's master process counts the
 * short-lived children too (Postfix and Dovecot fork per connection), without double counting.
 */
public final class ProcFs {
  private final Path root;
  private final long pageSize;

  /** Reads the real {@code /proc}. */
  public ProcFs() {
    this(Path.of("/proc"), 4096);
  }

  /** Reads a {@code /proc}-shaped tree under {@code root} (tests). */
  public ProcFs(Path root, long pageSize) {
    this.root = root;
    this.pageSize = pageSize;
  }

  /** Fields of {@code /proc/<pid>/stat} the harness uses; times in clock ticks. */
  public record Stat(int ppid, long utime, long stime, long cutime, long cstime, long rssPages) {
    public long totalTicks() {
      return utime + stime + cutime + cstime;
    }
  }

  /**
   * Parses one {@code /proc/<pid>/stat} line. The command name is in parentheses and may itself
   * contain spaces and parentheses, so fields are counted from the last {@code ')'}.
   */
  public static Stat parseStat(String line) {
    int close = line.lastIndexOf(')');
    if (close < 0) {
      throw new IllegalArgumentException("not a /proc/<pid>/stat line");
    }
    String[] f = line.substring(close + 2).trim().split("\\s+");
    // f[0] is field 3 (state); field n is f[n - 3]
    return new Stat(
        Integer.parseInt(f[1]),
        Long.parseLong(f[11]),
        Long.parseLong(f[12]),
        Long.parseLong(f[13]),
        Long.parseLong(f[14]),
        Long.parseLong(f[21]));
  }

  /**
   * Parses {@code key: value [kB]} lines ({@code /proc/<pid>/io}, {@code status}, {@code
   * smaps_rollup}); values given in kB are returned in bytes.
   */
  public static Map<String, Long> parseKeyValues(String text) {
    Map<String, Long> out = new HashMap<>();
    for (String line : text.split("\n")) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String[] parts = line.substring(colon + 1).trim().split("\\s+");
      if (parts.length == 0 || parts[0].isEmpty()) {
        continue;
      }
      try {
        long v = Long.parseLong(parts[0]);
        if (parts.length > 1 && parts[1].equalsIgnoreCase("kB")) {
          v *= 1024;
        }
        out.put(line.substring(0, colon).trim(), v);
      } catch (NumberFormatException notANumber) {
        // lines such as "Name: nats-server" carry no counter
      }
    }
    return out;
  }

  /** Sum of the sectors written ({@code ×512} bytes) by whole disks in {@code /proc/diskstats}. */
  public static long parseDiskstatsWrittenBytes(String text, Set<String> disks) {
    long sectors = 0;
    for (String line : text.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length > 9 && disks.contains(f[2])) {
        sectors += Long.parseLong(f[9]);
      }
    }
    return sectors * 512;
  }

  /** The roots and all of their live descendants. */
  public Set<Integer> tree(Collection<Integer> roots) throws IOException {
    Map<Integer, List<Integer>> children = new HashMap<>();
    try (Stream<Path> entries = Files.list(root)) {
      for (Path p : (Iterable<Path>) entries::iterator) {
        String name = p.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        Stat s = readStat(Integer.parseInt(name));
        if (s != null) {
          children.computeIfAbsent(s.ppid(), k -> new ArrayList<>()).add(Integer.parseInt(name));
        }
      }
    }
    Set<Integer> out = new HashSet<>();
    Deque<Integer> todo = new ArrayDeque<>(roots);
    while (!todo.isEmpty()) {
      int pid = todo.pop();
      if (out.add(pid)) {
        todo.addAll(children.getOrDefault(pid, List.of()));
      }
    }
    return out;
  }

  /** Summed counters of {@code pids}; processes that vanished while being read are skipped. */
  public ProcSample sample(Collection<Integer> pids) {
    long ticks = 0;
    long rss = 0;
    long pss = 0;
    long written = 0;
    long cancelled = 0;
    int count = 0;
    for (int pid : pids) {
      Stat s = readStat(pid);
      if (s == null) {
        continue;
      }
      count++;
      ticks += s.totalTicks();
      rss += s.rssPages() * pageSize;
      Map<String, Long> io = readKeyValues(pid, "io");
      written += io.getOrDefault("write_bytes", 0L);
      cancelled += io.getOrDefault("cancelled_write_bytes", 0L);
      Map<String, Long> rollup = readKeyValues(pid, "smaps_rollup");
      pss += rollup.getOrDefault("Pss", s.rssPages() * pageSize);
    }
    return new ProcSample(count, ticks, rss, pss, written, cancelled);
  }

  /** Counters of this JVM (the load generator). */
  public ProcSample self() {
    return sample(List.of((int) ProcessHandle.current().pid()));
  }

  /** Bytes written to the whole disks (not partitions) of the machine so far. */
  public long diskWrittenBytes() {
    try {
      Set<String> disks = new HashSet<>();
      try (Stream<Path> s = Files.list(Path.of("/sys/block"))) {
        s.map(p -> p.getFileName().toString())
            .filter(n -> !n.startsWith("loop") && !n.startsWith("ram"))
            .forEach(disks::add);
      }
      return parseDiskstatsWrittenBytes(Files.readString(root.resolve("diskstats")), disks);
    } catch (IOException e) {
      return -1;
    }
  }

  private Stat readStat(int pid) {
    try {
      return parseStat(Files.readString(root.resolve(Integer.toString(pid)).resolve("stat")));
    } catch (NoSuchFileException gone) {
      return null;
    } catch (IOException | RuntimeException unreadable) {
      return null;
    }
  }

  private Map<String, Long> readKeyValues(int pid, String file) {
    try {
      return parseKeyValues(Files.readString(root.resolve(Integer.toString(pid)).resolve(file)));
    } catch (IOException | RuntimeException unreadable) {
      return Map.of();
    }
  }
}
