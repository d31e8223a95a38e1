package org.sealpost.proto.codec;

import java.lang.management.ManagementFactory;

/** Bytes the current thread allocates while running an action (HotSpot's thread counter). */
final class AllocationMeter {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private AllocationMeter() {}

  interface Action {
    void run() throws Exception;
  }

  static long allocatedBy(Action action) throws Exception {
    long before = THREADS.getCurrentThreadAllocatedBytes();
    action.run();
    return THREADS.getCurrentThreadAllocatedBytes() - before;
  }
}
