package org.sealpost.benchmarks.load;

/**
 * One configuration of a storage probe (the raw RocksDB path): put + get + delete of each value,
 * puts written in synced groups.
 *
 * @param valueBytes value size
 * @param groupSize puts per synced write batch
 * @param messages values that went through put + get + delete
 * @param seconds time taken
 * @param messagesPerSecond {@code messages / seconds}
 * @param cpuMicrosPerMessage CPU of the probing process per message
 * @param writeBytesPerMessage bytes the process caused to be written to storage per message
 */
public record StorageProbeResult(
    int valueBytes,
    int groupSize,
    long messages,
    double seconds,
    double messagesPerSecond,
    double cpuMicrosPerMessage,
    double writeBytesPerMessage) {}
