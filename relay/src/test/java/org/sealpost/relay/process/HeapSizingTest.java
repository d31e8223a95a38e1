package org.sealpost.relay.process;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

class HeapSizingTest {

  @Test
  void thisJvmGetsTheRelaysHeapSizingAndReportsIt() {
    HotSpotDiagnosticMXBean hotspot =
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    Map<String, String> before = new HashMap<>();
    for (HeapSizing.Flag flag : HeapSizing.DEFAULTS) {
      VMOption o = hotspot.getVMOption(flag.name());
      assertThat(o.getOrigin())
          .as(flag.name() + " set by the test JVM's command line")
          .isEqualTo(VMOption.Origin.DEFAULT);
      before.put(flag.name(), o.getValue());
    }
    try {
      assertThat(HeapSizing.apply())
          .containsExactly(
              "-XX:MinHeapFreeRatio=10",
              "-XX:MaxHeapFreeRatio=30",
              "-XX:G1PeriodicGCInterval=300000");
      assertThat(hotspot.getVMOption("MinHeapFreeRatio").getValue()).isEqualTo("10");
      assertThat(hotspot.getVMOption("MaxHeapFreeRatio").getValue()).isEqualTo("30");
      assertThat(hotspot.getVMOption("G1PeriodicGCInterval").getValue()).isEqualTo("300000");
      // once set (origin MANAGEMENT), a second call leaves them alone
      assertThat(HeapSizing.apply()).isEmpty();
    } finally {
      // the JVM's defaults back, maximum first (the minimum may not exceed it)
      hotspot.setVMOption("MaxHeapFreeRatio", before.get("MaxHeapFreeRatio"));
      hotspot.setVMOption("MinHeapFreeRatio", before.get("MinHeapFreeRatio"));
      hotspot.setVMOption("G1PeriodicGCInterval", before.get("G1PeriodicGCInterval"));
    }
  }

  @Test
  void anOperatorsFlagKeepsAllThreeAsTheOperatorLeftThem() {
    FakeHotspot fake = new FakeHotspot();
    fake.options.put(
        "MaxHeapFreeRatio",
        new VMOption("MaxHeapFreeRatio", "50", true, VMOption.Origin.VM_CREATION));
    assertThat(HeapSizing.apply(fake)).isEmpty();
    assertThat(fake.set).isEmpty();
  }

  @Test
  void aFlagThisJvmLacksOrRefusesIsSkippedAndTheOthersAreSet() {
    FakeHotspot fake = new FakeHotspot();
    fake.options.remove("G1PeriodicGCInterval"); // not a flag of this JVM
    fake.refuse = "MinHeapFreeRatio";
    assertThat(HeapSizing.apply(fake)).containsExactly("-XX:MaxHeapFreeRatio=30");
    assertThat(fake.set).containsExactly("MaxHeapFreeRatio=30");
  }

  /** A HotSpot diagnostic bean over a map, with the JDK's defaults, recording what is set. */
  private static final class FakeHotspot implements HotSpotDiagnosticMXBean {
    final Map<String, VMOption> options = new HashMap<>();
    final List<String> set = new ArrayList<>();
    String refuse;

    FakeHotspot() {
      options.put("MinHeapFreeRatio", option("MinHeapFreeRatio", "40"));
      options.put("MaxHeapFreeRatio", option("MaxHeapFreeRatio", "70"));
      options.put("G1PeriodicGCInterval", option("G1PeriodicGCInterval", "0"));
    }

    private static VMOption option(String name, String value) {
      return new VMOption(name, value, true, VMOption.Origin.DEFAULT);
    }

    @Override
    public VMOption getVMOption(String name) {
      VMOption o = options.get(name);
      if (o == null) {
        throw new IllegalArgumentException("no flag " + name);
      }
      return o;
    }

    @Override
    public void setVMOption(String name, String value) {
      if (name.equals(refuse)) {
        throw new IllegalArgumentException("refused " + name);
      }
      set.add(name + "=" + value);
      options.put(name, new VMOption(name, value, true, VMOption.Origin.MANAGEMENT));
    }

    @Override
    public List<VMOption> getDiagnosticOptions() {
      return List.copyOf(options.values());
    }

    @Override
    public void dumpHeap(String outputFile, boolean live) {
      throw new UnsupportedOperationException();
    }

    @Override
    public ObjectName getObjectName() {
      return null;
    }
  }
}
