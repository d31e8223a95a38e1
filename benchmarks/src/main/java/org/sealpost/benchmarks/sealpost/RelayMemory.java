package org.sealpost.benchmarks.sealpost;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sealpost.benchmarks.load.ExtendedWorkloads.Memory;
import org.sealpost.benchmarks.peers.PeerException;

/**
 * Reads a JVM process's memory from outside: {@code jcmd GC.run}, then {@code VmRSS} from {@code
 * /proc}, the NMT summary ({@code -XX:NativeMemoryTracking=summary} must be on) and the heap in
 * use.
 */
final class RelayMemory {
  private static final Pattern NMT_TOTAL =
      Pattern.compile("Total: reserved=(\\d+)KB, committed=(\\d+)KB");
  // a category's line of the summary: "-                 Java Heap (reserved=...KB,
  // committed=...KB)"
  private static final Pattern NMT_CATEGORY =
      Pattern.compile("^-\\s+(.+?) \\(reserved=\\d+KB, committed=(\\d+)KB\\)", Pattern.MULTILINE);
  private static final Pattern HEAP_USED = Pattern.compile("total \\d+K, used (\\d+)K");

  private RelayMemory() {}

  static Memory measure(int pid) throws IOException, InterruptedException {
    jcmd(pid, "GC.run");
    // let the collector hand memory back and the RSS settle
    TimeUnit.MILLISECONDS.sleep(1500);
    long rss = 0;
    for (String line : Files.readAllLines(Path.of("/proc", Integer.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        rss = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    String summary = jcmd(pid, "VM.native_memory", "summary");
    Matcher nmt = NMT_TOTAL.matcher(summary);
    if (!nmt.find()) {
      throw new PeerException(
          PeerException.Code.SCRIPT_FAILED,
          "no NMT summary from the relay: start it with -XX:NativeMemoryTracking=summary");
    }
    Matcher heap = HEAP_USED.matcher(jcmd(pid, "GC.heap_info"));
    long heapUsed = heap.find() ? Long.parseLong(heap.group(1)) * 1024 : -1;
    return new Memory(rss, Long.parseLong(nmt.group(2)) * 1024, heapUsed, categories(summary));
  }

  /** NMT's committed bytes by category, from its summary. */
  static Map<String, Long> categories(String summary) {
    Map<String, Long> out = new TreeMap<>();
    Matcher m = NMT_CATEGORY.matcher(summary);
    while (m.find()) {
      out.put(m.group(1).strip(), Long.parseLong(m.group(2)) * 1024);
    }
    return out;
  }

  private static String jcmd(int pid, String... command) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    List<String> cmd = new ArrayList<>(List.of(jcmd.toString(), Integer.toString(pid)));
    cmd.addAll(List.of(command));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new PeerException(
          PeerException.Code.SCRIPT_FAILED, "jcmd " + String.join(" ", command) + " failed");
    }
    return new String(out, StandardCharsets.UTF_8);
  }
}
