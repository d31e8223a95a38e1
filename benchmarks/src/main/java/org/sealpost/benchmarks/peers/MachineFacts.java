package org.sealpost.benchmarks.peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Facts about this machine for the report header. */
public final class MachineFacts {
  private MachineFacts() {}

  public static Map<String, String> collect(Path dataDir) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
    m.put("cpu", firstValue(Path.of("/proc/cpuinfo"), "model name"));
    String mem = firstValue(Path.of("/proc/meminfo"), "MemTotal");
    try {
      long kb = Long.parseLong(mem.replace("kB", "").trim());
      m.put("memory", String.format("%.1f GiB", kb / 1024.0 / 1024.0));
    } catch (NumberFormatException e) {
      m.put("memory", mem);
    }
    m.put("os", osRelease());
    m.put("kernel", read(Path.of("/proc/sys/kernel/osrelease")));
    m.put(
        "jdk",
        System.getProperty("java.vm.name")
            + " "
            + System.getProperty("java.runtime.version")
            + " ("
            + System.getProperty("java.vm.vendor")
            + ")");
    m.put("peer data on", mountOf(dataDir));
    // other work on the machine skews every figure: say how busy it was
    m.put("load average at start (1/5/15 min)", loadAverage());
    return m;
  }

  /** CLK_TCK, the unit of the CPU times in /proc/<pid>/stat. */
  public static double clockTicksPerSecond() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) {
        return Double.parseDouble(out);
      }
    } catch (IOException | NumberFormatException e) {
      // fall through to Linux's usual value
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 100;
  }

  public static String loadAverage() {
    String[] f = read(Path.of("/proc/loadavg")).split(" ");
    return f.length >= 3 ? f[0] + " / " + f[1] + " / " + f[2] : "unknown";
  }

  private static String osRelease() {
    try {
      for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
        if (line.startsWith("PRETTY_NAME=")) {
          return line.substring("PRETTY_NAME=".length()).replace("\"", "");
        }
      }
    } catch (IOException e) {
      return "unknown";
    }
    return "unknown";
  }

  private static String mountOf(Path dir) {
    try {
      String abs = dir.toAbsolutePath().toString();
      String best = "";
      String answer = "unknown";
      for (String line : Files.readAllLines(Path.of("/proc/mounts"))) {
        String[] f = line.split(" ");
        if (f.length > 2 && abs.startsWith(f[1]) && f[1].length() > best.length()) {
          best = f[1];
          answer = f[2] + " on " + f[0] + " (mounted at " + f[1] + ")";
        }
      }
      return answer;
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static String firstValue(Path file, String key) {
    try {
      List<String> lines = Files.readAllLines(file);
      for (String line : lines) {
        if (line.startsWith(key)) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      return "unknown";
    }
    return "unknown";
  }

  private static String read(Path p) {
    try {
      return Files.readString(p).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
