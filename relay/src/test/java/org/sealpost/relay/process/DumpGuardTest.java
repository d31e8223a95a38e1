package org.sealpost.relay.process;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class DumpGuardTest {

  @Test
  void heapDumpOnOutOfMemoryIsTurnedOff() {
    HotSpotDiagnosticMXBean hotspot =
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    String before = hotspot.getVMOption("HeapDumpOnOutOfMemoryError").getValue();
    try {
      hotspot.setVMOption("HeapDumpOnOutOfMemoryError", "true");
      assertThat(DumpGuard.apply())
          .anySatisfy(w -> assertThat(w).contains("HeapDumpOnOutOfMemoryError"));
      assertThat(hotspot.getVMOption("HeapDumpOnOutOfMemoryError").getValue()).isEqualTo("false");
    } finally {
      hotspot.setVMOption("HeapDumpOnOutOfMemoryError", before);
    }
  }

  @Test
  void noHeapDumpWarningWhenTheFlagsAreOff() {
    for (String flag : DumpGuard.HEAP_DUMP_FLAGS) {
      assertThat(
              ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                  .getVMOption(flag)
                  .getValue())
          .isEqualTo("false");
    }
    assertThat(DumpGuard.apply()).noneSatisfy(w -> assertThat(w).contains("HeapDump"));
  }

  @Test
  void coreFileLimitIsReadFromProcLimits() {
    String limits =
        "Limit                     Soft Limit           Hard Limit           Units     \n"
            + "Max cpu time              unlimited            unlimited            seconds   \n"
            + "Max core file size        0                    unlimited            bytes     \n";
    assertThat(DumpGuard.parseCoreLimit(limits)).contains("0");
    assertThat(DumpGuard.parseCoreLimit(limits.replace(" 0  ", " unlimited  ")))
        .contains("unlimited");
    assertThat(DumpGuard.parseCoreLimit("nothing here")).isEmpty();
  }
}
