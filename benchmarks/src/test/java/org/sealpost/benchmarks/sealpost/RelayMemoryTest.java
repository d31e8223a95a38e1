package org.sealpost.benchmarks.sealpost;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Issue 13: W3 reports where NMT's committed memory changed, by category, from jcmd's summary. */
class RelayMemoryTest {
  private static final String SUMMARY =
      """
      12345:

      Native Memory Tracking:

      (Omitting categories weighting less than 1KB)

      Total: reserved=2548578KB, committed=318286KB
             malloc: 7258KB #3700
             mmap:   reserved=2541320KB, committed=311028KB

      -                 Java Heap (reserved=1048576KB, committed=262144KB)
                                  (mmap: reserved=1048576KB, committed=262144KB)

      -                     Class (reserved=1056905KB, committed=4489KB)
                                  (classes #448)

      -                    Thread (reserved=20580KB, committed=1200KB)
                                  (thread #20)

      -                     Other (reserved=50000KB, committed=50000KB)
                                  (malloc=50000KB #12)
      """;

  @Test
  void everyCategoryIsReadInBytes() {
    assertThat(RelayMemory.categories(SUMMARY))
        .containsEntry("Java Heap", 262144L * 1024)
        .containsEntry("Class", 4489L * 1024)
        .containsEntry("Thread", 1200L * 1024)
        .containsEntry("Other", 50000L * 1024)
        .hasSize(4);
  }
}
