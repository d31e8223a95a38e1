package org.sealpost.relay.process;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Keeps keys and envelopes in memory out of dump files. Heap-dump flags are manageable and are
 * switched off at run time; core dumps depend on RLIMIT_CORE, which Java cannot lower, so the relay
 * only reports them (operators set {@code ulimit -c 0} or systemd {@code LimitCORE=0}).
 */
public final class DumpGuard {
  /** The manageable HotSpot flags that write the heap to disk. */
  static final List<String> HEAP_DUMP_FLAGS =
      List.of("HeapDumpOnOutOfMemoryError", "HeapDumpBeforeFullGC", "HeapDumpAfterFullGC");

  private DumpGuard() {}

  /**
   * Turns every heap-dump flag off and checks the core-dump limit.
   *
   * @return one warning per problem found or fixed, for the operator (no user data)
   */
  public static List<String> apply() {
    List<String> warnings = new ArrayList<>();
    HotSpotDiagnosticMXBean hotspot =
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    if (hotspot != null) {
      for (String flag : HEAP_DUMP_FLAGS) {
        if ("true".equals(hotspot.getVMOption(flag).getValue())) {
          hotspot.setVMOption(flag, "false");
          warnings.add("turned off -XX:+" + flag + ": heap dumps would contain keys and envelopes");
        }
      }
    }
    coreLimit(Path.of("/proc/self/limits"))
        .filter(limit -> !limit.equals("0"))
        .ifPresent(
            limit ->
                warnings.add(
                    "core dumps are enabled (soft limit "
                        + limit
                        + "): start the relay with `ulimit -c 0` or systemd LimitCORE=0"));
    return warnings;
  }

  /** The soft core-file size limit from a {@code /proc/<pid>/limits} file, if readable. */
  static Optional<String> coreLimit(Path limitsFile) {
    try {
      return parseCoreLimit(Files.readString(limitsFile, StandardCharsets.US_ASCII));
    } catch (IOException | SecurityException e) {
      return Optional.empty();
    }
  }

  static Optional<String> parseCoreLimit(String limits) {
    for (String line : limits.split("\n")) {
      if (line.startsWith("Max core file size")) {
        String[] cols = line.substring("Max core file size".length()).trim().split("\\s+");
        return cols.length > 0 ? Optional.of(cols[0]) : Optional.empty();
      }
    }
    return Optional.empty();
  }
}
