package org.sealpost.relay.process;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps the heap the relay holds from the system close to the heap it uses (issue 13, W3). With the
 * JDK's defaults G1 keeps between 40 % and 70 % of the heap free after a collection that resizes
 * it, so 10,000 idle connections of 14 KB of live heap each cost anywhere from 21 to 41 KB of
 * committed memory, depending on the collections before. The relay starts with at most 30 % free
 * ({@code MaxHeapFreeRatio}, at least 10 %: {@code MinHeapFreeRatio}) and, once the heap has been
 * idle for five minutes, a periodic concurrent cycle ({@code G1PeriodicGCInterval}) that gives the
 * free part back; under load G1 still grows the heap as its pause-time goal needs.
 *
 * <p>These flags are manageable, so the relay sets them at run time and every way of starting it
 * (the README's {@code java -jar}, the service unit, the image) gets them. An operator who sets any
 * of them with {@code -XX:} keeps their own values for all three.
 */
public final class HeapSizing {
  /** A manageable flag and the relay's value for it. */
  record Flag(String name, String value) {}

  /** In the order they are set: the minimum first, as it must stay below the maximum. */
  static final List<Flag> DEFAULTS =
      List.of(
          new Flag("MinHeapFreeRatio", "10"),
          new Flag("MaxHeapFreeRatio", "30"),
          new Flag("G1PeriodicGCInterval", "300000"));

  private HeapSizing() {}

  /**
   * Sets the defaults on this JVM unless its command line set one of them.
   *
   * @return the flags set, as {@code -XX:name=value} (empty when the operator chose)
   */
  public static List<String> apply() {
    HotSpotDiagnosticMXBean hotspot =
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    return hotspot == null ? List.of() : apply(hotspot);
  }

  static List<String> apply(HotSpotDiagnosticMXBean hotspot) {
    Map<Flag, VMOption> current = new LinkedHashMap<>();
    for (Flag flag : DEFAULTS) {
      try {
        current.put(flag, hotspot.getVMOption(flag.name()));
      } catch (IllegalArgumentException e) {
        // not a flag of this JVM
      }
    }
    if (current.values().stream().anyMatch(o -> o.getOrigin() != VMOption.Origin.DEFAULT)) {
      return List.of(); // the operator sized the heap
    }
    List<String> set = new ArrayList<>();
    current.forEach(
        (flag, option) -> {
          if (option.isWriteable() && !option.getValue().equals(flag.value())) {
            try {
              hotspot.setVMOption(flag.name(), flag.value());
              set.add("-XX:" + flag.name() + "=" + flag.value());
            } catch (IllegalArgumentException e) {
              // refused by this JVM (a value out of its range): its own default stays
            }
          }
        });
    return set;
  }
}
