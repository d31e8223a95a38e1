package org.sealpost.benchmarks.load;

/**
 * Summed counters of a set of processes at one instant.
 *
 * @param processes how many processes were read
 * @param cpuTicks {@code utime + stime + cutime + cstime}, in clock ticks
 * @param rssBytes resident set sizes added up (counts shared pages once per process)
 * @param pssBytes proportional set sizes added up (shared pages split between sharers)
 * @param writeBytes bytes the processes caused to be written to storage ({@code write_bytes})
 * @param cancelledWriteBytes dirty page-cache bytes discarded before reaching storage, e.g. files
 *     deleted before writeback ({@code cancelled_write_bytes})
 */
public record ProcSample(
    int processes,
    long cpuTicks,
    long rssBytes,
    long pssBytes,
    long writeBytes,
    long cancelledWriteBytes) {}
